/**
 * A form made from a JSON Schema by react-jsonschema-form, validated in the browser by Ajv
 * (draft 2020-12, the dialect zod writes), and given the API's 400 `issues` on the fields they
 * name. Secret fields (`format: password`) are password inputs; a masked value ("********")
 * stands for the stored secret, so it is not held to the field's rules.
 */
import type { ReactNode } from 'react';
import Form from '@rjsf/core';
import type { ErrorSchema, RJSFValidationError, UiSchema } from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import Ajv2020 from 'ajv/dist/2020';
import type { FieldIssue } from '../api';
import type { JsonSchema } from '../types';

export const MASK = '********';

const validator = customizeValidator({ AjvClass: Ajv2020 });

interface Props {
  id: string;
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange(value: Record<string, unknown>): void;
  onSubmit(value: Record<string, unknown>): void;
  issues?: FieldIssue[];
  disabled?: boolean;
  children: ReactNode;
}

export function JsonForm({ id, schema, value, onChange, onSubmit, issues = [], disabled, children }: Props) {
  return (
    <Form
      idPrefix={id}
      schema={schema}
      uiSchema={uiSchemaOf(schema)}
      formData={value}
      validator={validator}
      extraErrors={errorSchemaOf(issues)}
      transformErrors={(errors) => errors.filter((error) => valueAt(value, error) !== MASK)}
      showErrorList={false}
      noHtml5Validate
      focusOnFirstError
      disabled={disabled}
      onChange={(event) => onChange((event.formData ?? {}) as Record<string, unknown>)}
      onSubmit={(event) => onSubmit((event.formData ?? {}) as Record<string, unknown>)}
    >
      {children}
    </Form>
  );
}

/** Secrets as password inputs, wherever they sit (in properties, or in the branches of a oneOf/anyOf of auth methods). */
export function uiSchemaOf(schema: unknown): UiSchema {
  const ui: UiSchema = {};
  if (!schema || typeof schema !== 'object') return ui;
  const node = schema as Record<string, unknown>;
  for (const branch of [...asArray(node.oneOf), ...asArray(node.anyOf), ...asArray(node.allOf)]) Object.assign(ui, uiSchemaOf(branch));
  const properties = node.properties as Record<string, Record<string, unknown>> | undefined;
  for (const [name, property] of Object.entries(properties ?? {})) {
    if (property.format === 'password') ui[name] = { 'ui:widget': 'password', 'ui:options': { autocomplete: 'new-password' } };
    else if (property.type === 'object' || property.oneOf || property.anyOf) ui[name] = { ...(ui[name] as object), ...uiSchemaOf(property) };
  }
  return ui;
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** `settings.baseUrl: must be a URL` → `{ settings: { baseUrl: { __errors: ['must be a URL'] } } }`. */
export function errorSchemaOf(issues: FieldIssue[]): ErrorSchema {
  const root: Record<string, unknown> = {};
  for (const issue of issues) {
    let node = root;
    for (const part of issue.field === '(body)' ? [] : issue.field.split('.')) node = (node[part] ??= {}) as Record<string, unknown>;
    ((node.__errors ??= []) as string[]).push(issue.message);
  }
  return root as ErrorSchema;
}

/** The value an Ajv error is about, from RJSF's `property` (".credentials.apiKey" or "['x-key']"). */
function valueAt(data: unknown, error: RJSFValidationError): unknown {
  const path = (error.property ?? '').match(/[^.[\]']+/g) ?? [];
  return path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), data);
}

/**
 * One form of several schemas side by side (a channel's name, settings and credentials), so the
 * API's field paths (`settings.baseUrl`) name fields of this one form. `$defs` are lifted to the
 * top, where the sub-schemas' `#/$defs/...` references look for them.
 */
export function combinedSchema(parts: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  const defs: Record<string, unknown> = {};
  const properties: Record<string, unknown> = {};
  for (const [name, part] of Object.entries(parts)) {
    const { $schema: _dialect, $defs, ...rest } = part as { $schema?: unknown; $defs?: Record<string, unknown> };
    Object.assign(defs, $defs);
    properties[name] = rest;
  }
  return { type: 'object', required, properties, ...(Object.keys(defs).length ? { $defs: defs } : {}) };
}

/** A standalone schema (an action's input) without the `$schema` line Ajv would look up. */
export function formSchema(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, ...rest } = schema;
  return Object.keys(rest).length ? rest : { type: 'object' };
}
