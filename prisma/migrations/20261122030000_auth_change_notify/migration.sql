-- The server processes cache sessions and resolved capacities for a few seconds (apps/server/src/common/middleware/auth-cache.ts).
-- These triggers tell every process, on channel dj_auth_changed, when a cached answer may no longer hold:
-- a session changed or ended (logout, capacity chosen, expiry pruned), or a person, membership or organisation
-- that a capacity is resolved from was changed or deactivated. Delivered at commit, to every listening process.

CREATE FUNCTION notify_session_changed() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('dj_auth_changed', 'session:' || OLD.sid);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER session_changed_notify
  AFTER UPDATE ON "session"
  FOR EACH ROW WHEN (OLD.sess IS DISTINCT FROM NEW.sess) EXECUTE FUNCTION notify_session_changed();

CREATE TRIGGER session_deleted_notify
  AFTER DELETE ON "session"
  FOR EACH ROW EXECUTE FUNCTION notify_session_changed();

CREATE FUNCTION notify_access_changed() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('dj_auth_changed', TG_TABLE_NAME);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER person_access_notify
  AFTER UPDATE OF active, name OR DELETE ON person
  FOR EACH ROW EXECUTE FUNCTION notify_access_changed();

CREATE TRIGGER membership_access_notify
  AFTER UPDATE OF person_id, org_id, role, active OR DELETE ON membership
  FOR EACH ROW EXECUTE FUNCTION notify_access_changed();

CREATE TRIGGER organization_access_notify
  AFTER UPDATE OF active, name OR DELETE ON organization
  FOR EACH ROW EXECUTE FUNCTION notify_access_changed();
