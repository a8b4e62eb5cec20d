/**
 * The order flow (workflows/order-placed.ts) as an n8n workflow, for the peer benchmark: a Webhook
 * node that answers at once, then HTTP Request nodes against the same demo CRM: find the contact
 * by e-mail, create it when missing, add the note.
 */
export const N8N_ORDER_WORKFLOW_ID = 'benchOrderFlow01';
export const N8N_ORDER_PATH = 'orders';

export function n8nOrderWorkflow(crmUrl: string, apiKey: string) {
  const headers = { sendHeaders: true, headerParameters: { parameters: [{ name: 'x-api-key', value: apiKey }] } };
  const order = (field: string) => `$('Webhook').item.json.body.${field}`;
  const node = (name: string, type: string, typeVersion: number, x: number, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    id: `${name.toLowerCase().replace(/\W+/g, '-')}-node`,
    name,
    type,
    typeVersion,
    position: [x, 300],
    parameters,
    ...extra,
  });
  const nodes = [
    node('Webhook', 'n8n-nodes-base.webhook', 2, 0, { httpMethod: 'POST', path: N8N_ORDER_PATH, responseMode: 'onReceived', options: {} }, { webhookId: '0f2b7a4e-8d1c-4c55-9f3e-6a1d2b3c4d5e' }),
    node('Find contact', 'n8n-nodes-base.httpRequest', 4.2, 220, {
      method: 'GET',
      url: `${crmUrl}/api/contacts`,
      sendQuery: true,
      queryParameters: {
        parameters: [
          { name: 'email', value: `={{ ${order('customerEmail')} }}` },
          { name: 'perPage', value: '1' },
        ],
      },
      ...headers,
      options: {},
    }),
    node('Known?', 'n8n-nodes-base.if', 2, 440, {
      conditions: {
        options: { caseSensitive: true, leftValue: '', typeValidation: 'loose' },
        conditions: [{ id: 'known', leftValue: '={{ $json.items.length }}', rightValue: 0, operator: { type: 'number', operation: 'gt' } }],
        combinator: 'and',
      },
      options: {},
    }),
    node('Create contact', 'n8n-nodes-base.httpRequest', 4.2, 660, {
      method: 'POST',
      url: `${crmUrl}/api/contacts`,
      ...headers,
      sendBody: true,
      bodyParameters: {
        parameters: [
          { name: 'email', value: `={{ ${order('customerEmail')} }}` },
          { name: 'firstName', value: `={{ (${order('customerName')} ?? '').split(' ')[0] }}` },
          { name: 'lastName', value: `={{ (${order('customerName')} ?? '').split(' ').slice(1).join(' ') }}` },
        ],
      },
      options: {},
    }),
    node('Add note', 'n8n-nodes-base.httpRequest', 4.2, 880, {
      method: 'POST',
      url: `=${crmUrl}/api/contacts/{{ $json.id ?? $json.items[0].id }}/notes`,
      ...headers,
      sendBody: true,
      bodyParameters: { parameters: [{ name: 'text', value: `=Order {{ ${order('orderId')} }} placed: {{ ${order('total')}.toFixed(2) }} {{ ${order('currency')} }}` }] },
      options: {},
    }),
  ];
  const to = (name: string) => [{ node: name, type: 'main', index: 0 }];
  return {
    id: N8N_ORDER_WORKFLOW_ID,
    name: 'Order placed (peer benchmark)',
    active: false,
    nodes,
    connections: {
      Webhook: { main: [to('Find contact')] },
      'Find contact': { main: [to('Known?')] },
      // true: known, straight to the note; false: create the contact first.
      'Known?': { main: [to('Add note'), to('Create contact')] },
      'Create contact': { main: [to('Add note')] },
    },
    settings: { executionOrder: 'v1' },
  };
}
