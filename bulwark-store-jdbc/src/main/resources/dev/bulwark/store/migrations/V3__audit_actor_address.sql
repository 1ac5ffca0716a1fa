-- Who made an admin change and from which address: the dashboard's controls and the admin endpoints record both.
ALTER TABLE admin_audit ADD COLUMN actor VARCHAR(100) DEFAULT 'admin' NOT NULL;
ALTER TABLE admin_audit ADD COLUMN remote_address VARCHAR(100) DEFAULT '' NOT NULL;
