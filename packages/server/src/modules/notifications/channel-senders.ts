import { sendEmail } from './email-sender.js';
import { postHttp } from './http-delivery.js';
import type { ChannelSender } from './notifier.js';
import {
  discordRequest,
  gotifyRequest,
  ntfyRequest,
  slackRequest,
  webhookRequest,
} from './payloads.js';

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path}`;
}

/** Sends to a channel of any kind, in that kind's format. */
export const sendToChannel: ChannelSender = async (channel, message) => {
  const { settings } = channel;
  switch (settings.kind) {
    case 'email':
      return sendEmail(settings.config, message);
    case 'webhook':
      return postHttp(
        settings.config.url,
        webhookRequest(channel, message, settings.config.secret),
        message.signal,
      );
    case 'slack':
      return postHttp(settings.config.webhookUrl, slackRequest(message), message.signal);
    case 'discord':
      return postHttp(settings.config.webhookUrl, discordRequest(message), message.signal);
    case 'ntfy':
      return postHttp(
        joinUrl(settings.config.serverUrl, encodeURIComponent(settings.config.topic)),
        ntfyRequest(message, settings.config.token),
        message.signal,
      );
    case 'gotify':
      return postHttp(
        joinUrl(settings.config.serverUrl, 'message'),
        gotifyRequest(message, settings.config.token),
        message.signal,
      );
  }
};
