import { UsageError, type CliIO } from '../io';

/** `archlint availability`: placeholder until its issue lands; fails loudly rather than pretending. */
export async function run(_args: string[], _io: CliIO): Promise<number> {
  throw new UsageError('archlint availability is not available yet');
}
