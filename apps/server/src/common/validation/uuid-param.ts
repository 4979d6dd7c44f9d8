import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

/** A path id that is not a UUID names nothing: answer 404, like an id out of scope. */
export const uuidParam = (what: string) => new ParseUUIDPipe({ exceptionFactory: () => DomainError.notFound(what) });
