import type { Server } from 'node:http';

/** One window of a server that switches tracking (or a part of it) while under load: what it served and the CPU it used. */
export interface SwitchWindow {
  /** Whether what is switched was on in this window. */
  on: boolean;
  /** Requests that arrived in the window. */
  requests: number;
  /** CPU time of the whole process (all threads) in the window. */
  cpuMicros: number;
  millis: number;
}

/**
 * Switches tracking (or whatever `setOn` switches) off and on every
 * `windowMillis` while the server is under load, `windows` times, starting
 * off, and records each window. Pairs of neighbouring windows are a second
 * apart, so the machine's drift, which on this VM moves a server's speed by
 * ±15% within a minute, cancels out in their ratio. It is left on at the end.
 */
export function recordSwitchWindows(
  server: Server,
  setOn: (on: boolean) => void,
  windowMillis: number,
  windows: number,
): Promise<SwitchWindow[]> {
  return new Promise((resolve) => {
    let requests = 0;
    const count = (): void => {
      requests++;
    };
    server.on('request', count);
    const recorded: SwitchWindow[] = [];
    let on = false;
    setOn(on);
    let start = { requests, cpu: process.cpuUsage(), at: performance.now() };
    const timer = setInterval(() => {
      const cpu = process.cpuUsage(start.cpu);
      recorded.push({ on, requests: requests - start.requests, cpuMicros: cpu.user + cpu.system, millis: performance.now() - start.at });
      if (recorded.length >= windows) {
        clearInterval(timer);
        server.off('request', count);
        setOn(true);
        resolve(recorded);
        return;
      }
      on = !on;
      setOn(on);
      start = { requests, cpu: process.cpuUsage(), at: performance.now() };
    }, windowMillis);
  });
}
