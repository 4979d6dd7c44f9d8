import { PipeTransform } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';

/** An attachment is named by the SHA-256 of its bytes; anything else names nothing: 404, like a file out of scope. */
export const sha256Param: PipeTransform<string, string> = {
  transform(value: string) {
    if (!/^[0-9a-fA-F]{64}$/.test(value)) throw DomainError.notFound('文件');
    return value.toLowerCase();
  },
};
