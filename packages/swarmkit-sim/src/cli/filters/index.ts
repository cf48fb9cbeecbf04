// The text filters of the lab, by command name.
import { cat, echo, falseCmd, trueCmd } from "./cat-echo";
import { cut } from "./cut";
import { grep } from "./grep";
import { head, tail } from "./head-tail";
import { seq } from "./seq";
import { sort } from "./sort";
import type { Filter } from "./types";
import { wc } from "./wc";

export const FILTERS: Readonly<Record<string, Filter>> = {
  grep,
  head,
  tail,
  wc,
  sort,
  seq,
  cut,
  cat,
  echo,
  true: trueCmd,
  false: falseCmd,
};

export { cat, cut, echo, grep, head, seq, sort, tail, wc };
export type { FileRead, FileReader, Filter, FilterResult } from "./types";
