// Output formatting shared by the docker CLI facade's handlers.
export { formatGoDuration, humanDuration, taskStateAgo, timeAgo } from "./duration";
export { naturalCompare, naturalLess, naturalSort } from "./natural-sort";
export { bytesSize, goFormatG, humanSize, humanSizeWithPrecision } from "./size";
export {
  DOCKER_TABLE,
  TOP_TABLE,
  tabwriteText,
  tabwriter,
  type TabwriterOptions,
  VERSION_TABLE,
} from "./tabwriter";
export { ellipsis, prettyPrint, truncateId } from "./text";
export { displayWidth, runeWidth } from "./width";
