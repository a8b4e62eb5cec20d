import { codeApplications as applications } from '../connectors/catalog';
import { channelsFromEnv, defaultChannelId } from './env-channels';

describe('channels from the environment', () => {
  it('builds the default channel of an application from JSON settings and credentials', () => {
    const [channel] = channelsFromEnv(applications, {
      CHANNEL_DEMO_CRM_SETTINGS: '{"baseUrl":"http://127.0.0.1:4010"}',
      CHANNEL_DEMO_CRM_CREDENTIALS: '{"apiKey":"k"}',
    });
    expect(channel).toEqual({
      id: defaultChannelId('demo-crm'),
      application: 'demo-crm',
      name: 'Demo CRM (default)',
      enabled: true,
      settings: { baseUrl: 'http://127.0.0.1:4010' },
      credentials: { apiKey: 'k' },
    });
  });

  it('configures no channel for an application without variables', () => {
    expect(channelsFromEnv(applications, {})).toEqual([]);
  });

  it('names the invalid setting', () => {
    expect(() => channelsFromEnv(applications, { CHANNEL_DEMO_CRM_SETTINGS: '{"baseUrl":"not a url"}', CHANNEL_DEMO_CRM_CREDENTIALS: '{"apiKey":"k"}' })).toThrow(
      /CHANNEL_DEMO_CRM_SETTINGS.*baseUrl/s,
    );
  });

  it('names an invalid credential field without echoing any value', () => {
    const attempt = () => channelsFromEnv(applications, { CHANNEL_DEMO_CRM_SETTINGS: '{"baseUrl":"http://x.test"}', CHANNEL_DEMO_CRM_CREDENTIALS: '{"apiKey":"","other":"hunter2"}' });
    expect(attempt).toThrow(/CHANNEL_DEMO_CRM_CREDENTIALS: invalid field\(s\) apiKey/);
    expect(attempt).not.toThrow(/hunter2/);
  });

  it('reports broken JSON by variable name', () => {
    expect(() => channelsFromEnv(applications, { CHANNEL_DEMO_CRM_SETTINGS: '{' })).toThrow(/CHANNEL_DEMO_CRM_SETTINGS is not valid JSON/);
  });
});
