import { runStandalone } from '@switchyard/simulator';

/** `switchyard simulator [flags]`: the provider simulator on its own, for load tests. */
export function simulatorCommand(argv: string[], env: NodeJS.ProcessEnv): void {
  runStandalone(argv, env);
}
