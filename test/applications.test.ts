/**
 * The catalog through the API: GET /applications/:name answers an application's forms and its
 * actions with the JSON Schema of their input and output, for code-defined and imported
 * applications alike; and an import may not take a code-defined application's name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getJson, postJson, startTestSystem, type TestSystem } from './support/system';

let system: TestSystem;

beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

const petstore = () => readFileSync(join(__dirname, 'data', 'openapi', 'petstore-3.0.json'), 'utf8');

describe('GET /applications/:name', () => {
  it("answers a code-defined application with its forms, as GET /applications does, and its actions' input and output schemas", async () => {
    const { status, body } = await getJson(`${system.apiUrl}/applications/demo-crm`);
    expect(status).toBe(200);
    const listed = (await getJson(`${system.apiUrl}/applications`)).body.find((app: { name: string }) => app.name === 'demo-crm');
    const { actions, ...application } = body;
    expect(application).toEqual(listed);
    expect(application).toMatchObject({ name: 'demo-crm', auth: { kind: 'api-key' } });

    const names = actions.map((action: { name: string }) => action.name);
    expect(names).toEqual(expect.arrayContaining(['listContacts', 'createContact', 'findContactByEmail', 'updateContact']));
    const listContacts = actions.find((action: { name: string }) => action.name === 'listContacts');
    expect(listContacts.description).toBe('One page of contacts, oldest first');
    // The input side: defaulted fields are optional to a caller.
    expect(listContacts.inputSchema).toMatchObject({ type: 'object', properties: { page: { type: 'integer', minimum: 1, default: 1 }, perPage: { type: 'integer', maximum: 100 } } });
    expect(listContacts.inputSchema.required ?? []).not.toContain('page');
    expect(listContacts.outputSchema).toMatchObject({ type: 'object', properties: { hasMore: { type: 'boolean' } } });
    expect(listContacts.outputSchema.properties.items).toMatchObject({ type: 'array', items: { type: 'object', properties: { email: { type: 'string', format: 'email' } } } });
    for (const action of actions) {
      expect(Object.keys(action).sort()).toEqual(['description', 'inputSchema', 'name', 'outputSchema']);
      expect(typeof action.inputSchema).toBe('object');
      expect(typeof action.outputSchema).toBe('object');
    }
  });

  it("answers an imported application with its actions, the document's schemas and the components they reference", async () => {
    const imported = await postJson(`${system.apiUrl}/applications/import`, { name: 'catalog-pets', document: petstore() });
    expect(imported.status).toBe(201);
    const { status, body } = await getJson(`${system.apiUrl}/applications/catalog-pets@v1`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: 'catalog-pets@v1', auth: { kind: expect.any(String) }, settingsSchema: { type: 'object' }, credentialsSchema: { type: 'object' } });
    expect(body.actions).toHaveLength(imported.body.actions);

    const getPetById = body.actions.find((action: { name: string }) => action.name === 'getPetById');
    expect(getPetById.description).toBe('Find pet by ID');
    expect(getPetById.inputSchema).toMatchObject({ type: 'object', properties: { petId: { type: 'integer' } }, required: ['petId'], additionalProperties: false });
    // The output refers to the document's Pet, which is beside it; Pet's own references come along.
    expect(getPetById.outputSchema.$ref).toBe('#/components/schemas/Pet');
    expect(getPetById.outputSchema.components.schemas.Pet).toMatchObject({ type: 'object', required: ['name', 'photoUrls'] });
    expect(Object.keys(getPetById.outputSchema.components.schemas).sort()).toEqual(['Category', 'Pet', 'Tag']);

    const addPet = body.actions.find((action: { name: string }) => action.name === 'addPet');
    expect(addPet.inputSchema).toMatchObject({ type: 'object', properties: { body: expect.any(Object) }, required: ['body'] });
    expect(addPet.inputSchema.components.schemas.Pet).toBeDefined();
  });

  it('answers 404 naming an unknown application, code-defined or imported', async () => {
    for (const name of ['no-such-app', 'no-such-app@v1', 'catalog-pets@v99']) {
      const { status, body } = await getJson(`${system.apiUrl}/applications/${encodeURIComponent(name)}`);
      expect(status).toBe(404);
      expect(body.message).toContain(name);
    }
  });

  it('is documented in Swagger with its response schema', async () => {
    const document = (await getJson(`${system.apiUrl}/docs-json`)).body;
    const operation = document.paths['/applications/{name}'].get;
    expect(operation['x-required-scope']).toBe('read');
    const ref: string = operation.responses['200'].content['application/json'].schema.$ref;
    const schema = document.components.schemas[ref.split('/').pop()!];
    expect(schema.properties.actions.items.properties).toEqual(
      expect.objectContaining({ name: expect.any(Object), description: expect.any(Object), inputSchema: expect.any(Object), outputSchema: expect.any(Object) }),
    );
    expect(operation.responses['404']).toBeDefined();
  });
});

describe("importing under a code-defined application's name", () => {
  it('is refused with 409 naming it, given or derived from the title, and nothing is stored', async () => {
    const before = (await getJson(`${system.apiUrl}/applications`)).body.length;
    const given = await postJson(`${system.apiUrl}/applications/import`, { name: 'demo-crm', document: petstore() });
    expect(given.status).toBe(409);
    expect(given.body).toMatchObject({ statusCode: 409, application: 'demo-crm' });
    expect(given.body.message).toContain('demo-crm');

    const titled = JSON.parse(petstore());
    titled.info.title = 'Demo CRM';
    for (const document of [titled, `openapi: 3.0.3\ninfo:\n  title: Demo CRM\n  version: '1'\npaths:\n  /ping:\n    get:\n      responses:\n        '200':\n          description: ok\n`]) {
      const derived = await postJson(`${system.apiUrl}/applications/import`, { document });
      expect(derived.status).toBe(409);
      expect(derived.body).toMatchObject({ application: 'demo-crm' });
    }

    expect((await getJson(`${system.apiUrl}/applications`)).body).toHaveLength(before);
    expect((await getJson(`${system.apiUrl}/applications/demo-crm@v1`)).status).toBe(404);
  });
});
