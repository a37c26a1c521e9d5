// The browser tests' shared harness: `parkir demo` (the debug build, or PARKIR_BIN) on a fresh
// database of its own, on a free port, and a headless Chromium; both stopped and the database
// dropped afterwards. Screenshots go to target/e2e/.
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const shots = join(root, "target", "e2e");
const bin = process.env.PARKIR_BIN || join(root, "target", "debug", "parkir");

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

function dropDatabase(db) {
  try {
    execFileSync("psql", ["-q", "-d", "postgres", "-c", `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`], { stdio: "ignore" });
  } catch {
    // Nothing to drop, or no psql: the database name is unique to this run anyway.
  }
}

async function waitReady(url, ms, log) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`parkir did not become ready at ${url}:\n${log()}`);
}

/**
 * Starts the demo city for the test file `name` and a browser (`lang` sets the browser's
 * language, e.g. "en-US", so that nothing may follow it). Returns `{ base, browser, stop }`.
 */
export async function startDemo(name, { lang } = {}) {
  mkdirSync(shots, { recursive: true });
  const db = `parkir_e2e_${name}_${process.pid}`;
  dropDatabase(db);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let serverLog = "";
  const server = spawn(bin, ["demo"], {
    env: {
      ...process.env,
      DATABASE_URL: `postgres:///${db}`,
      PARKIR_BIND: `127.0.0.1:${port}`,
      PARKIR_JWT_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e",
      PARKIR_SNAP_CLIENT_KEY: "",
      RUST_LOG: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout.on("data", (d) => { serverLog += d; });
  server.stderr.on("data", (d) => { serverLog += d; });
  await waitReady(`${base}/readyz`, 120_000, () => serverLog);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      ...(lang ? [`--lang=${lang}`] : [])],
  });
  const stop = async () => {
    await browser.close();
    server.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    dropDatabase(db);
  };
  return { base, browser, stop };
}
