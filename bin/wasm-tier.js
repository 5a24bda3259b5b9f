// WebAssembly in this process stays on V8's baseline compiler (Liftoff). What a run executes of it is undici's HTTP
// parser (curl and seldon steps) and Kafka's CRC-32C, and two requests were enough for V8 to tier llhttp's one big
// function up to TurboFan: a background compile of 190-420 ms CPU and 29 MB of compiler memory at once
// (--trace-wasm-compilation-times), the peak of an istio run's memory, for a parser that reads a few dozen responses.
//
// The switch is two V8 flags, set when the first module compiles and kept (V8 reads them as the module compiles and
// as its functions do). Not at start: a process whose flags changed loses the code cache Node embeds for its own
// modules (child_process and fs/promises took 9.2 ms instead of 3.5), which a run without WebAssembly should not pay.
// And V8's code cache entries carry a hash of every flag, so bin/code-cache.js reads and writes them under V8's
// defaults (withDefaultFlags): entries stay the same whether or not a process met WebAssembly before.
//
// CommonJS (bin/package.json), like the launcher that requires it.
/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, see above */
'use strict';

const BASELINE = '--no-wasm-tier-up --no-wasm-dynamic-tiering';
const DEFAULTS = '--wasm-tier-up --wasm-dynamic-tiering';

let setFlags;
let onBaseline = false;

/**
 * Replaces `wasm.Module` by a subclass that sets the flags before the first module compiles: its instances are
 * real modules (`instanceof`, `WebAssembly.Instance`, the static `exports`, `imports` and `customSections` hold).
 * The asynchronous `compile` and `instantiate` are left as they are; neither undici nor Kafka's codecs use them.
 * Does nothing when the process was started with flags of its own for WebAssembly's tiers, which the defaults would undo.
 */
function keepWasmOnBaseline(wasm = globalThis.WebAssembly, options = [...process.execArgv, process.env.NODE_OPTIONS ?? '']) {
  if (!wasm?.Module || options.some((option) => /liftoff|wasm-tier|wasm-dynamic-tiering/.test(option))) return false;
  class Module extends wasm.Module {
    constructor(bytes) {
      if (!onBaseline) {
        setFlags ??= require('node:v8').setFlagsFromString;
        setFlags(BASELINE);
        onBaseline = true;
      }
      super(bytes);
    }
  }
  wasm.Module = Module;
  return true;
}

/** Runs `fn` under V8's default flags (for reading or writing a code cache entry) and returns what it returns. */
function withDefaultFlags(fn) {
  if (!onBaseline) return fn();
  setFlags(DEFAULTS);
  try {
    return fn();
  } finally {
    setFlags(BASELINE);
  }
}

module.exports = { keepWasmOnBaseline, withDefaultFlags };
