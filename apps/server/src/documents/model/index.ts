export { DocumentModel } from './document-model.dto';
export { DocumentBlockDto } from './document-block.dto';
export { AttachmentDto, DocNumberDto, IssuingOrganDto, MinutesPeopleDto, PrintingDto } from './document-parts.dto';
export { DOCUMENT_KINDS, DocumentKind, DocumentFormat, formatOf, ISSUER_KINDS, IssuerKind } from './document-kind';
export { formatDocNumber, parseDocNumber, DocNumber } from './doc-number.util';
export { formatChineseDate, parseChineseDate } from './date-format';
export { validateDocumentModel, ValidationResult, FieldError } from './validate-document-model';
