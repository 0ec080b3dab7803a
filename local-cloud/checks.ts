/** One proof check of the demo: what it proves, whether it held, and what was seen. Every demo step reports these. */
export interface Check { readonly name: string; readonly ok: boolean; readonly detail: string }
