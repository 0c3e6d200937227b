// track_commit_timestamp lets a test or a benchmark ask PostgreSQL when a transaction committed
// (pg_xact_commit_timestamp). It is a postmaster setting: turning it on restarts the machine's
// PostgreSQL, so only tools that own the machine for their run (benchmarks, the fault suite)
// call this.
import { execFileSync } from 'node:child_process';

import type { DataSource } from 'typeorm';

/** Turns track_commit_timestamp on if it is off; says so through `say` before restarting. */
export async function ensureCommitTimestamps(
  dataSource: DataSource,
  say: (line: string) => void,
): Promise<void> {
  const [{ track_commit_timestamp: on }] = (await dataSource.query(
    `SHOW track_commit_timestamp`,
  )) as [{ track_commit_timestamp: string }];
  if (on === 'on') return;
  say('turning track_commit_timestamp on: restarting PostgreSQL');
  await dataSource.query(`ALTER SYSTEM SET track_commit_timestamp = on`);
  const [version = '', name = ''] =
    execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' })
      .trim()
      .split('\n')[0]
      ?.split(/\s+/) ?? [];
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'restart']);
}
