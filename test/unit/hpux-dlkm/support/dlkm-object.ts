/** The DLKM object writer the tests build their modules with (the personality's own, see its module notes). */
export {
  type DlkmObjectSpec,
  writeDlkmObject as buildDlkmObject,
} from '../../../../src/personalities/hpux-dlkm/dlkm-object-writer.js';
