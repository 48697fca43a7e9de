// The compact tools/list of every tool, computed once at build time: scripts/build.mjs replaces this module with
// the JSON, so `serve` answers tools/list without converting 23 zod schemas at each start (~19 ms of CPU on
// Node 20). From source (the unit tests) it is undefined and the list is computed at run time.
import type { Tool } from '@modelcontextprotocol/server';

/** The build's tools/list of TOOLS, or undefined when running from source. */
export const BUILT_TOOL_LIST: Tool[] | undefined = undefined;
