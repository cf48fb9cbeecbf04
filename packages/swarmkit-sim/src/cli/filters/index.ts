// The text filters of the lab, by command name.
import { cat, echo, falseCmd, trueCmd } from "./cat-echo";
import { cut } from "./cut";
import { grep } from "./grep";
import { head, tail } from "./head-tail";
import { sort } from "./sort";
import type { Filter } from "./types";
import { wc } from "./wc";

export const FILTERS: Readonly<Record<string, Filter>> = {
  grep,
  head,
  tail,
  wc,
  sort,
  cut,
  cat,
  echo,
  true: trueCmd,
  false: falseCmd,
};

export { cat, cut, echo, grep, head, sort, tail, wc };
export type { Filter, FilterResult } from "./types";
