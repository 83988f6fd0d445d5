-- What a notification says as a message key and its arguments (JSON of tinhso.Args),
-- rendered in the reader's language when it is shown or sent. Rows stored before keep
-- their text in message, and have no key.
ALTER TABLE notifications ADD COLUMN message_key TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN message_args TEXT NOT NULL DEFAULT '[]';
