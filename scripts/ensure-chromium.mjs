// Installs Debian's Chromium for the digest rendering test when it is missing (no browser
// download: the package manager's build, as the machine's docs require). Node built-ins only.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!existsSync(CHROMIUM)) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = root ? '' : 'sudo ';
  const install = `${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium`;
  console.log(`postlaunch: installing Chromium for the digest rendering test (${install})…`);
  try {
    execSync(install, { stdio: 'inherit' });
  } catch {
    // A fresh machine may have no package lists yet.
    execSync(`${sudo}apt-get update && ${install}`, { stdio: 'inherit', shell: '/bin/sh' });
  }
}
