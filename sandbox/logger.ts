/**
 * The sandbox never writes to the console on its own: the repo's vitest setup fails a test on any
 * unexpected console.error/warn, and a sandbox redelivering to a stopped receiver would trip it.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  error: () => {},
};

export const consoleLogger: Logger = {
  info: (message) => console.log(`[sandbox] ${message}`),
  warn: (message) => console.warn(`[sandbox] ${message}`),
  error: (message) => console.error(`[sandbox] ${message}`),
};
