/** Downtime in seconds per period (a year is 365.2425 days, a month a twelfth of it). */
export interface Downtime {
  year: number;
  month: number;
  week: number;
  day: number;
}

export interface Contributor {
  component: string;
  /** How much the entry's availability would gain if this component never failed. */
  gain: number;
}

export interface EntryAvailability {
  component: string;
  availability: number;
  /** Computed directly (not as 1 − availability), so it keeps its digits at six nines and beyond. */
  unavailability: number;
  /** −log10(unavailability); Infinity when the entry never fails (JSON output writes null). */
  nines: number;
  downtime: Downtime;
  /** The entry's `slo`, else the file's, else the configuration file's `defaults.slo`. */
  slo?: number;
  sloSource?: 'entry' | 'file' | 'config';
  meetsSlo?: boolean;
  /** Largest gain first; components whose gain is below 1e-15 are left out. */
  contributors: Contributor[];
  /** False when the entry uses more shared zones than the exact method conditions on (see the report's notes). */
  exact?: boolean;
}

export interface ComponentAvailability {
  component: string;
  /** One instance's availability. */
  instance: number;
  /** The component's own pool (its instances and zones), dependencies not included. */
  pool: number;
  /** 1 − pool, computed directly. */
  unavailability?: number;
  /** Instances needed (k of n): the most any entry point's load asks of it. */
  needed: number;
  /** Instances counted, a standby included. */
  instances: number;
  /** The zones its instances are spread over (round robin), as declared on the component. */
  zones?: string[];
  /** For sharded components: probability that every shard is up at once. */
  allShardsUp?: number;
  shards?: number;
}

export interface AvailabilityReport {
  entries: EntryAvailability[];
  components: Map<string, ComponentAvailability>;
  /** Things the reader should know about how the numbers were made (approximations taken, …). */
  notes: string[];
}
