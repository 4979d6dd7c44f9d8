import { ValidationPipe } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { toFieldErrors } from './messages';

/** The global pipe: strips nothing silently (unknown fields are refused) and reports every bad field in Chinese. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validateCustomDecorators: false,
    exceptionFactory: (errors) => DomainError.validation(toFieldErrors(errors)),
  });
}
