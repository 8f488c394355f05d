import type { SimulatorStats } from '@switchyard/simulator';

/** The simulator's counters (calls in flight, answers by status) at this moment. */
export async function simulatorStats(simulatorUrl: string): Promise<SimulatorStats> {
  const response = await fetch(`${simulatorUrl}/_sim/stats`);
  if (!response.ok) throw new Error(`simulator stats answered ${response.status}`);
  return (await response.json()) as SimulatorStats;
}
