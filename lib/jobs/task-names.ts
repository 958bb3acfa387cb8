// The queue's task identifiers, shared by the code that enqueues (often in SQL) and the workers.
export const PROCESS_WEBHOOK_EVENT = "process_webhook_event";
export const PROVISION_API_KEY = "provision_api_key";
export const CONFIGURE_MESSAGING_WEBHOOK = "configure_messaging_webhook";
