/**
 * Test helpers (Node only) for the exported PyTorch script: Debian's python3 with
 * python3-torch (what `.ci/run` installs), a scratch folder, and running a command with its
 * output kept for the assertion message. A missing python3 or torch fails with what to
 * install; it never skips.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The interpreter the tests use: Debian's, where `apt-get install python3-torch` puts torch. */
export const PYTHON = process.env.PLAYGROUND_PYTHON ?? '/usr/bin/python3';

/** The bundled MNIST IDX files. */
export const MNIST_DIR = fileURLToPath(new URL('../../../public/datasets/mnist/', import.meta.url));

/** Throws, saying what to install, unless python3 with torch and numpy runs. */
export function requireTorch(): string {
  try {
    return execFileSync(PYTHON, ['-c', 'import numpy, torch; print(torch.__version__)'], { encoding: 'utf8' }).trim();
  } catch (err) {
    throw new Error(
      `The PyTorch export tests need ${PYTHON} with PyTorch 1.13+ and numpy, which did not start ` +
        `(${(err as Error).message.split('\n')[0]}). Install them with \`apt-get install python3-torch\` ` +
        '(what .ci/run does), or set PLAYGROUND_PYTHON to a python3 that has torch.',
    );
  }
}

/** A fresh scratch folder. */
export function scratch(prefix = 'pytorch-export-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `text` to `dir/name` and returns the path. */
export function writeFile(dir: string, name: string, text: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

export interface RunOutput {
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs `cmd args` (one thread per process), rejecting with both outputs when it fails. It runs
 * in a process group of its own, and a run past `timeoutMs` is ended with the whole group (a
 * torchrun's workers too: killing only the launcher left a hung worker behind).
 */
export function run(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<RunOutput> {
  const started = Date.now();
  const env = { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' };
  const timeoutMs = opts.timeoutMs ?? 100_000;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    const fail = (why: string) =>
      reject(new Error(`${cmd} ${args.join(' ')} ${why}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
    child.on('error', (err) => {
      clearTimeout(timer);
      fail(`failed: ${err.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) fail(`did not end within ${Math.round(timeoutMs / 1000)} s, so it was killed with its process group`);
      else if (code !== 0) fail(`failed: exit code ${code}${signal ? `, signal ${signal}` : ''}`);
      else resolve({ stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** The script's per-epoch lines and its final test accuracy. */
export function parseOutput(stdout: string): { epochs: Record<string, number>[]; testAcc: number | null } {
  const epochs: Record<string, number>[] = [];
  let testAcc: number | null = null;
  for (const line of stdout.split('\n')) {
    const m = /^epoch (\d+) loss (\S+) acc (\S+)(?: val_loss (\S+) val_acc (\S+))?/.exec(line);
    if (m) {
      const e: Record<string, number> = { epoch: Number(m[1]), loss: Number(m[2]), acc: Number(m[3]) };
      if (m[4] !== undefined) Object.assign(e, { val_loss: Number(m[4]), val_acc: Number(m[5]) });
      epochs.push(e);
    }
    const t = /^test_acc (\S+)$/.exec(line.trim());
    if (t) testAcc = Number(t[1]);
  }
  return { epochs, testAcc };
}
