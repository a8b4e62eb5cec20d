/**
 * Slack's own example payloads, as its documentation prints them:
 * - url_verification: https://api.slack.com/events/url_verification
 * - app_mention in its event_callback envelope: https://api.slack.com/events/app_mention
 * - message (channels): https://api.slack.com/events/message, in the envelope of
 *   https://api.slack.com/apis/events-api#callback-field
 */
export const urlVerification = {
  token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
  challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
  type: 'url_verification',
};

export const appMention = {
  token: 'ZZZZZZWSxiZZZ2yIvs3peJ',
  team_id: 'T061EG9R6',
  api_app_id: 'A0MDYCDME',
  event: {
    type: 'app_mention',
    user: 'U061F7AUR',
    text: 'What is the hour of the pearl, <@U0LAN0Z89>?',
    ts: '1515449522.000016',
    channel: 'C0LAN2Q65',
    event_ts: '1515449522000016',
  },
  type: 'event_callback',
  event_id: 'Ev0LAN670R',
  event_time: 1515449522000016,
  authed_users: ['U0LAN0Z89'],
};

export const channelMessage = {
  token: 'XXYYZZ',
  team_id: 'T123ABC456',
  api_app_id: 'A123ABC456',
  event: { type: 'message', channel: 'C123ABC456', user: 'U123ABC456', text: 'Hello world', ts: '1355517523.000005', channel_type: 'channel' },
  type: 'event_callback',
  authorizations: [{ enterprise_id: 'E123ABC456', team_id: 'T123ABC456', user_id: 'U123ABC456', is_bot: false }],
  event_context: 'EC123ABC456',
  event_id: 'Ev123ABC456',
  event_time: 1355517523,
};
