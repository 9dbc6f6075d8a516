import { UsageError, type CliIO } from '../io';

/** `archlint diagram`: placeholder until its issue lands; fails loudly rather than pretending. */
export async function run(_args: string[], _io: CliIO): Promise<number> {
  throw new UsageError('archlint diagram is not available yet');
}
