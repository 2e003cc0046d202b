import type { Config } from '../config.ts';
import type { BaseServices } from './gateway.ts';

/** HTTP interactions endpoint (being written). */
export async function startHttpInteractions(_config: Config, _base: BaseServices): Promise<{ port: number; stop(): Promise<void> }> {
  throw new Error('HTTP interactions mode is not implemented yet');
}
