# People and access: invites, staff list, absence, command menus.
invite-choose-role = Which role is the invite for?
invite-choose-department = Role: { $role }. Choose the unit:
invite-created = One-time invite link
    Role: { $role } · Unit: { $department }
    Valid until { $until }:
    { $link }
invite-invalid = This invite link is not valid: it was used already or has expired. Ask the administrator for a new one. Your Telegram ID: { $id }.
invite-welcome = Welcome, { $name }! You joined as: { $role }. The commands are in the bot's menu.
staff-title = Staff (active: { $count }):
staff-away-choose-days = For how many days are you away? New assignments go to your substitute meanwhile.
staff-away-choose-days-for = For how many days is { $name } away?
staff-away-choose-substitute = Who stands in?
staff-away-set = 🏖 { $name } is away until { $until }
    Substitute: { $substitute }
staff-needs-a-role = A person keeps at least one role.
staff-needs-department = This role needs a unit: invite the person again with a unit.
staff-confirm-deactivate = Turn off access for { $name }? Access ends at once; the history stays.
staff-not-yourself = You cannot turn off your own access.
staff-deactivated = Access for { $name } is turned off.
btn-confirm-deactivate = ⛔ Yes, turn off
btn-reactivate = ↩ Restore access
btn-deactivate = ⛔ Turn off access
btn-set-away = 🏖 Absence and substitute
btn-no-substitute = No substitute
command-start = Who am I here
command-queue = What waits for me
command-overdue = Overdue deadlines
command-case = A case card by number
command-find = Search cases
command-staff = Staff and access
command-invite = Invite a person
command-report = Monthly summary
command-today = Today's digest
command-away = I am away (substitute)
command-cancel = Cancel typing
card-access-ended = Access to cases has ended. The content of this card is hidden.
input-role-changed = Input ended: your rights changed and this action is no longer available to you.
command-day = Days off (declare)
staff-away-open-work = 🏖 { $name } is away and still holds open cases ({ $count }): { $cases }.
    Open a case's card to reassign it.
    Stands in: { $substitute }
messenger-unknown-other = No other messenger is set for you: ask the administrator to add your Telegram ID or MAX ID to the organization file.
messenger-confirm = Move your workspace to { $other }? Cards in this chat will be hidden, new ones will come in { $other }. Open the bot in { $other } first (the «Start» button), or it cannot write to you.
messenger-switch-button = Move to { $other }
messenger-switched = Your workspace moved to { $other }. Cards in this chat are hidden.
messenger-welcome = { $name }, your workspace is here now. Current work — /queue, help — /help.
invite-invalid-max = The invite link is not valid: it was used already or has expired. Ask the administrator for a new one. Your MAX ID: { $id }.
