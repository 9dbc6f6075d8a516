import type { Kind } from '../model/model';

/**
 * One instance's availability when neither the component nor the file's `defaults` gives one.
 * Each figure is a published single-instance SLA, or a stated convention where none exists;
 * docs/availability.md lists the sources. An SLA is a floor the provider pays for missing, so
 * these defaults are deliberately modest: a file that knows better says `availability:`.
 */
export const DEFAULT_INSTANCE_AVAILABILITY: Readonly<Record<Kind, number>> = {
  // A balancer you run is a VM like any other; a managed one (ELB: 99.99%) says so in the file.
  'load-balancer': 0.995,
  // AWS Compute SLA, instance-level uptime of a single EC2 instance.
  service: 0.995,
  worker: 0.995,
  // Amazon RDS SLA, Single-DB instance.
  database: 0.995,
  // A cache node is one VM: the EC2 instance-level figure.
  cache: 0.995,
  // Amazon SQS SLA.
  queue: 0.999,
  // Amazon S3 Standard SLA.
  storage: 0.999,
  // Three nines: the common commercial API commitment; no single source, set it from your provider's SLA.
  external: 0.999,
};

/**
 * A zone's availability when neither the zone nor `defaults.zone-availability` gives one. No
 * provider publishes a per-zone SLA; 99.99% (53 minutes a year) matches AWS's region-level
 * compute SLA for deployments over two or more zones and is a modelling assumption.
 */
export const DEFAULT_ZONE_AVAILABILITY = 0.9999;

/**
 * Most zones an entry point's availability conditions on exactly (2^n zone states). Zones used
 * by a single component are exact at any count (they are folded into that component's pool);
 * only zones shared by several components need conditioning.
 */
export const EXACT_ZONE_LIMIT = 12;

/** Seconds per period. A year is the Gregorian mean of 365.2425 days; a month is a twelfth of it. */
export const SECONDS = {
  year: 365.2425 * 86_400,
  month: (365.2425 * 86_400) / 12,
  week: 7 * 86_400,
  day: 86_400,
} as const;
