/*
 * Imported by the init hook before a ren command loads (hooks/init.ts): turns on Node's compile cache (Node >= 22.1)
 * before the command's modules load. An installed plugin loads its own copy of @salesforce/core, jsforce and their
 * dependencies (sf's bundled commands share sf's own), about 1,100 modules that V8 would otherwise compile again on
 * every run; the cache keeps the compiled code on disk (os.tmpdir()/node-compile-cache, or NODE_COMPILE_CACHE;
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off). Only the plugin's own commands turn it on: other sf commands are not
 * affected. On an older Node it does nothing.
 */
import module from 'node:module';

// Code compiled from the cache makes V8's coverage less precise (Node's docs): a run that collects coverage
// (NODE_V8_COVERAGE, as c8 sets it) goes without.
if (!process.env.NODE_V8_COVERAGE) module.enableCompileCache?.();
