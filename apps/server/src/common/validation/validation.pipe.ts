import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { DomainError } from '../errors/domain-error';
import { toFieldErrors } from './messages';

/**
 * The global pipe: strips nothing silently (unknown fields are refused) and reports every bad field in Chinese.
 * Before any DTO rule it refuses text holding a NUL character (U+0000) anywhere in a body, query or
 * route parameter: PostgreSQL cannot store it in text or jsonb, so it would otherwise fail as a 500
 * deep in a transaction. Checking here covers every DTO and every free-form object (公文模型, 表单取值) at once.
 */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validateCustomDecorators: false,
    exceptionFactory: (errors) => DomainError.validation(toFieldErrors(errors)),
  });
}

class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') refuseNul(value, metadata);
    return super.transform(value, metadata);
  }
}

const NUL = '\u0000';
/** Half of a surrogate pair with no other half: not a character, and PostgreSQL (and Prisma's JSON) cannot take it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (s: string) => s.includes(NUL) || LONE_SURROGATE.test(s);

/** Throws a 400 naming the (top-level) field whose text, or one of whose keys, holds a NUL. */
export function refuseNul(value: unknown, metadata: Pick<ArgumentMetadata, 'data' | 'metatype'>): void {
  const path = nulPath(value, metadata.data ?? '');
  if (path === null) return;
  const top = /^[^.[]*/.exec(path)?.[0] ?? '';
  const label = top ? labelOf(metadata.metatype, top) : undefined;
  // A name the client made up (not a property name, or none we know) is not repeated back: the message says where in words.
  const name = top && (label || /^[A-Za-z_$][\w$]*$/.test(top)) ? `字段 ${top}${label ? `（${label}）` : ''}` : '提交的内容';
  const where = path === top ? '' : '中的内容';
  throw DomainError.validation([{ field: path, message: `${name}${where}不能包含空字符（U+0000）或残缺的字符，请删除后重新提交` }]);
}

/** The path of the first string or key holding a NUL, or null. Iterative: a deeply nested body cannot overflow the stack. */
function nulPath(root: unknown, rootPath: string): string | null {
  const stack: [unknown, string][] = [[root, rootPath]];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (unstorable(value)) return path;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${path}[${i}]`]);
    } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        const childPath = path ? `${path}.${key}` : key;
        if (unstorable(key)) return path || '';
        stack.push([child, childPath]);
      }
    }
  }
  return null;
}

/** The Chinese label a DTO's own messages give a property: “字段 title（标题）…” → 标题. */
function labelOf(metatype: ArgumentMetadata['metatype'], property: string): string | undefined {
  if (typeof metatype !== 'function' || [String, Object, Array, Number, Boolean].includes(metatype as never)) return undefined;
  for (const m of getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false)) {
    if (m.propertyName !== property || typeof m.message !== 'string') continue;
    const label = /^字段 \S+?（([^）]+)）/.exec(m.message)?.[1];
    if (label) return label;
  }
  return undefined;
}
