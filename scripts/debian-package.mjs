/**
 * What the tests and the benchmark need from Debian (PostgreSQL's server, wrk): installed with
 * apt-get when missing and this runs as root; otherwise a message saying what to install.
 * (Chromium has the same in scripts/ensure-chromium.sh, for Playwright's shell scripts.)
 */
import { spawnSync } from 'node:child_process';

/** Whether `command` is on the PATH. */
export function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Installs Debian's `name` for `purpose` ("The benchmark"); throws with `hint` (what the user can
 * do instead) when not root or without apt-get.
 */
export function installDebianPackage(name, purpose, hint = '') {
  if (process.getuid?.() !== 0 || !hasCommand('apt-get'))
    throw new Error(
      `${purpose} needs Debian's ${name}: install it (Debian/Ubuntu: sudo apt-get install ${name})${hint ? ` ${hint}` : ''} and run again.`,
    );
  console.log(`Installing Debian's ${name} (${purpose})...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', name],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (r.status !== 0)
      throw new Error(`apt-get ${args.join(' ')} failed (${r.status ?? r.error})`);
  }
}
