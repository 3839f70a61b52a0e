# Common bot texts
unknown-user = Hello! This bot is the workspace of the administration's staff. Your Telegram ID: { $id }. To get access, give it to the administrator or open an invite link.
start-staff = Hello, { $name }! You are signed in as: { $roles }.
error-generic = The action failed. Please try again or contact the administrator.
outbox-failed = ⚠️ Could not perform { $action } for case { $case }: { $reason }. Please check and do it by hand if needed.
case-open-btn = 📂 Open the case
