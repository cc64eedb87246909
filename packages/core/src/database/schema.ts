import type { SchemaIssue } from '../errors.js';

/**
 * The Standard Schema v1 interface (standardschema.dev), which zod, valibot and arktype
 * implement. Weft only needs `validate` and the type slots for inference.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly SchemaIssue[] };

/** The document type a schema produces. */
export type InferOutput<S> = S extends StandardSchemaV1<unknown, infer O> ? O : never;
