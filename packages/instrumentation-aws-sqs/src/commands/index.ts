import { handleReceiveMessage } from './receive-message';
import { handleSendMessage } from './send-message';
import { handleSendMessageBatch } from './send-message-batch';
import { handlePublish, handlePublishBatch } from './sns-publish';
import {
  handleChangeMessageVisibility,
  handleChangeMessageVisibilityBatch,
  handleDeleteMessage,
  handleDeleteMessageBatch,
} from './settle';
import type { CommandHandler } from './types';

/** The SQS commands this plugin records, by operation name; every other command is passed through untouched. */
export const COMMAND_HANDLERS: Readonly<Record<string, CommandHandler>> = Object.freeze({
  SendMessage: handleSendMessage,
  SendMessageBatch: handleSendMessageBatch,
  ReceiveMessage: handleReceiveMessage,
  DeleteMessage: handleDeleteMessage,
  DeleteMessageBatch: handleDeleteMessageBatch,
  ChangeMessageVisibility: handleChangeMessageVisibility,
  ChangeMessageVisibilityBatch: handleChangeMessageVisibilityBatch,
});

/** The SNS commands this plugin records (`@aws-sdk/client-sns`); every other SNS command is passed through untouched. */
export const SNS_COMMAND_HANDLERS: Readonly<Record<string, CommandHandler>> = Object.freeze({
  Publish: handlePublish,
  PublishBatch: handlePublishBatch,
});
