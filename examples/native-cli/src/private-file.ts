// Files only the user may read: created with mode 0600 and replaced atomically (write a temporary file
// in the same folder, then rename), so a crash never leaves half a token file behind.

import { randomBytes } from 'node:crypto';
import { chmod, open, rename, rm } from 'node:fs/promises';

export async function writePrivateFile(path: string, content: string): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  // 'wx': never follow or reuse an existing file; the mode applies as it is created (umask can only
  // remove bits, and 0600 has none for group or others).
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (process.platform !== 'win32') await chmod(temporary, 0o600);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
