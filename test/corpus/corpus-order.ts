/**
 * Reading a module tree's files with their `.modinfo` name and `depends=`, and a dependency-first load order:
 * the library's own (src/experiments/load-all.ts), under the names the corpus tests use.
 * @module
 */
export {
  dependencyOrder as loadOrder,
  moduleKey as key,
  readTreeModule as readCorpusModule,
  type TreeModule as CorpusModule,
} from '../../src/experiments/load-all.js';
