/** Node's globals that the sources use, for ESLint's `no-undef`. */
export default Object.fromEntries(
  [
    'process', 'console', 'URL', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Buffer', 'AbortController',
    'AbortSignal', 'TextDecoder', 'TextEncoder', 'performance', 'structuredClone', 'queueMicrotask', 'setImmediate',
  ].map((name) => [name, 'readonly']),
);
