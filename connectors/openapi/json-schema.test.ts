/**
 * Validation of imported schemas: patterns on RE2 (linear time, so a catastrophic pattern cannot
 * freeze the process), patterns RE2 cannot run left unenforced, and schemas as real documents
 * write them (OpenAPI 3.0's boolean exclusiveMinimum, nullable without type, a stray
 * `required: true`) compiling instead of making the action unusable.
 */
import { jsonSchemaValidator } from './json-schema';
import { unsupportedPatterns } from './patterns';

const check = (schema: object, value: unknown, dialect: '3.0' | '3.1' = '3.0', components: unknown = {}) => jsonSchemaValidator(schema, components, dialect).safeParse(value);

describe('patterns', () => {
  it.each(['3.0', '3.1'] as const)("checks ^(a+)+$ against 30 a's and a ! in linear time (%s)", (dialect) => {
    const validator = jsonSchemaValidator({ type: 'string', pattern: '^(a+)+$' }, {}, dialect);
    expect(validator.safeParse('aaa').success).toBe(true); // compiles it
    const started = performance.now();
    const result = validator.safeParse(`${'a'.repeat(30)}!`);
    const elapsed = performance.now() - started;
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('must match pattern "^(a+)+$"');
    expect(elapsed).toBeLessThan(100);
  });

  it('reads ECMAScript spellings RE2 lacks (\\u escapes, named groups), and patternProperties', () => {
    expect(check({ type: 'string', pattern: '^\\u00e9+$' }, 'éé').success).toBe(true);
    expect(check({ type: 'string', pattern: '^\\u00e9+$' }, 'e').success).toBe(false);
    expect(check({ type: 'string', pattern: '^(?<year>\\d{4})-\\d{2}$' }, '2024-05').success).toBe(true);
    const byPattern = { type: 'object', patternProperties: { '^x-': { type: 'string' } } };
    expect(check(byPattern, { 'x-a': 'ok', other: 1 }).success).toBe(true);
    expect(check(byPattern, { 'x-a': 1 }).success).toBe(false);
  });

  it('leaves a pattern RE2 cannot run (backreference, lookahead) unenforced, and names it at import', () => {
    expect(check({ type: 'string', pattern: '^(a)\\1$' }, 'anything').success).toBe(true);
    expect(check({ type: 'string', pattern: '^(?!admin)' }, 'admin').success).toBe(true);
    // Other keywords of the same schema still apply.
    expect(check({ type: 'string', maxLength: 3, pattern: '^(a)\\1$' }, 'toolong').success).toBe(false);
    const doc = {
      openapi: '3.0.3',
      paths: { '/a': { get: { parameters: [{ name: 'q', in: 'query', schema: { type: 'string', pattern: '(?=x)' } }], responses: {} } } },
      components: { schemas: { User: { type: 'object', properties: { name: { type: 'string', pattern: '^[a-z]+$' }, nick: { type: 'string', pattern: '(\\w)\\1' } } } } },
    };
    expect(unsupportedPatterns(doc)).toEqual(
      expect.arrayContaining([
        { location: 'paths./a.get.parameters.0.schema.pattern', message: expect.stringContaining('is not enforced') },
        { location: 'components.schemas.User.properties.nick.pattern', message: expect.stringContaining('(RE2) cannot run it') },
      ]),
    );
    expect(unsupportedPatterns(doc)).toHaveLength(2);
  });
});

describe('schemas as documents write them', () => {
  it("reads OpenAPI 3.0's boolean exclusiveMinimum and exclusiveMaximum", () => {
    const schema = { type: 'integer', minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: false };
    expect(check(schema, 0).success).toBe(false);
    expect(check(schema, 1).success).toBe(true);
    expect(check(schema, 10).success).toBe(true);
  });

  it("accepts null for nullable without a type (3.0), as GitHub's document writes it", () => {
    const components = { schemas: { milestone: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } } };
    const schema = { type: 'object', properties: { milestone: { nullable: true, allOf: [{ $ref: '#/components/schemas/milestone' }] } } };
    expect(check(schema, { milestone: null }, '3.0', components).success).toBe(true);
    expect(check(schema, { milestone: { id: 1 } }, '3.0', components).success).toBe(true);
    expect(check(schema, { milestone: { id: 'x' } }, '3.0', components).success).toBe(false);
    // 3.1 has no `nullable`: it is ignored, and `type` decides.
    expect(check({ type: 'string', nullable: true }, null, '3.1').success).toBe(false);
  });

  it('ignores a keyword Ajv cannot compile, in the schema or in a component, and keeps the rest', () => {
    const components = { schemas: { label: { type: 'object', properties: { id: { type: 'integer', required: true } } } } };
    const schema = { type: 'object', required: ['label'], properties: { label: { $ref: '#/components/schemas/label' }, kind: { type: 'integr' } } };
    expect(check(schema, { label: { id: 1 }, kind: 'any' }, '3.0', components).success).toBe(true);
    expect(check(schema, { label: { id: 'x' } }, '3.0', components).success).toBe(false);
    expect(check(schema, {}, '3.0', components).error?.issues).toEqual([expect.objectContaining({ path: ['label'], message: 'required' })]);
  });
});
