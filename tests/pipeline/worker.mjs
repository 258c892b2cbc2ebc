// The Python side (real Lambda handlers, moto, API shapes) for one stack: one JSON request and reply per line.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'worker', 'pipeline_worker.py');

export class Worker {
  #child;
  #pending = [];
  #stderr = '';

  constructor(stackConfig) {
    this.folder = mkdtempSync(join(tmpdir(), 'mlopstf-pipeline-'));
    const file = join(this.folder, 'stack.json');
    writeFileSync(file, JSON.stringify(stackConfig));
    this.#child = spawn(process.env.PYTHON ?? 'python3', [SCRIPT, file], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stderr.on('data', (chunk) => { this.#stderr = (this.#stderr + chunk).slice(-4000); });
    createInterface({ input: this.#child.stdout }).on('line', (line) => this.#pending.shift()?.resolve(JSON.parse(line)));
    this.#child.on('exit', (code) => {
      for (const waiter of this.#pending.splice(0)) waiter.reject(new Error(`worker exited (${code}): ${this.#stderr}`));
    });
  }

  request(message) {
    return new Promise((resolve, reject) => {
      this.#pending.push({ resolve, reject });
      this.#child.stdin.write(JSON.stringify(message) + '\n');
    });
  }

  close() {
    this.#child.stdin.end();
    rmSync(this.folder, { recursive: true, force: true });
  }
}
