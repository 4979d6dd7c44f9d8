export * from './sampling.types';
export { parseRule, parseSamplingInput } from './sampling-input';
export { draw } from './stratified-draw';
export { assignInspectors } from './inspector-assignment';
