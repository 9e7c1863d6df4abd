import type { Server } from 'node:http';

/** One window of a server that switches tracking while under load: what it served and the CPU it used. */
export interface SwitchWindow {
  tracking: boolean;
  /** Requests that arrived in the window. */
  requests: number;
  /** CPU time of the whole process (all threads) in the window. */
  cpuMicros: number;
  millis: number;
}

/**
 * Switches tracking off and on every `windowMillis` while the server is
 * under load, `windows` times, starting off, and records each window. Pairs
 * of neighbouring windows are a second apart, so the machine's drift, which
 * on this VM moves a server's speed by ±15% within a minute, cancels out in
 * their ratio. Tracking is left on at the end.
 */
export function recordSwitchWindows(
  server: Server,
  setTracking: (enabled: boolean) => void,
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
    let tracking = false;
    setTracking(tracking);
    let start = { requests, cpu: process.cpuUsage(), at: performance.now() };
    const timer = setInterval(() => {
      const cpu = process.cpuUsage(start.cpu);
      recorded.push({ tracking, requests: requests - start.requests, cpuMicros: cpu.user + cpu.system, millis: performance.now() - start.at });
      if (recorded.length >= windows) {
        clearInterval(timer);
        server.off('request', count);
        setTracking(true);
        resolve(recorded);
        return;
      }
      tracking = !tracking;
      setTracking(tracking);
      start = { requests, cpu: process.cpuUsage(), at: performance.now() };
    }, windowMillis);
  });
}
