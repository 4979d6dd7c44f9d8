export { importText, ImportResult, EmptyDocumentTextError } from './text-importer';
