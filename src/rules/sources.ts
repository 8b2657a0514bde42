// A file's `reference`: where a rule, parameter, plan, calendar or indicator comes from. A source
// document by its short name (KU 2015, VP 2015 FSE, …), a law by its number, a proposal by its
// name, or the pack's own choice, "Årshjulets val: " with a sentence on why.
import type { Located, Locator, Segment } from '../json/locate.js';

const ownChoice = /^Årshjulets val\b/;

/** The reference's entries that say too little: "Årshjulets val" without its reason. */
export function checkReference(reference: string[] | undefined, at: Segment[], locate: Locator, errors: Located[]): void {
  reference?.forEach((entry, i) => {
    if (ownChoice.test(entry) && !/^Årshjulets val: \S.{9,}/.test(entry)) {
      errors.push(locate.error([...at, i], 'Årshjulets val behöver sitt skäl: skriv "Årshjulets val: " och en mening om varför'));
    }
  });
}

