// The package's only public door: everything other packages may use is exported here.
export { startSimulator, type Simulator, type SimulatorStartOptions } from './server';
export { countTokens } from './tokenizer';
export {
  simulateCompletion,
  type SimMessage,
  type SimulationInput,
  type SimulatedCompletion,
} from './simulate-completion';
export {
  type SimulatorOptions,
  type SimulatorOptionsPatch,
  type LatencySpec,
  type RateLimits,
  type RateLimitWindow,
} from './options';
export { FAULT_KINDS, type FaultKind } from './fault-kinds';
export { type CallRecord } from './call-log';
export { type SimulatorStats } from './stats';
export { parseSimulatorArgs, type SimulatorCliOptions } from './parse-args';
export { runStandalone } from './run-standalone';
