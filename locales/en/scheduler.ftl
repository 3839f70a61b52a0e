# Scheduler and reports: reminders, violations, urgent pushes, spikes, the monthly summary

## Working-time durations
duration-minutes = { $m } min
duration-hours = { $h } h
duration-hours-minutes = { $h } h { $m } min
case-ref = No. { $number } (/case_{ NUMBER($number, useGrouping: 0) })

## Steps (deadline kinds)
deadline-kind-route = routing the case
deadline-kind-answer = preparing and publishing the answer
deadline-kind-draft_submission = submitting the draft answer
deadline-kind-dept_review = department head's review of the draft
deadline-kind-approval = approving the draft answer
deadline-kind-rework = reworking the draft answer
deadline-kind-publish = publishing the answer
deadline-kind-co_executor_part = co-executor's part
deadline-kind-reassign = naming a new executor
deadline-kind-final_answer = final answer after an intermediate one

## Reminders
reminder-progress = ⏰ { $case }: { $step } — { $pct }% of the time is gone ({ $clause }). Due { $due }, { $left } left.
reminder-left = ⏳ { $case }: { $step } — { $left } left (due { $due }, { $clause }).
reminder-breach = ❗ { $case }: { $step } — the deadline passed at { $due } ({ $clause }). The violation is recorded and sent to the head of department.
escalation-breach = ❗ Deadline missed ({ $clause }): { $case }, { $step }. Due { $due }, responsible — { $person }
late-note = ⚠️ Sent late: the service was down at the time.
urgent-mark = 🚨 urgent

## Daily digest of violations
violations-digest-title = { $count ->
    [one] { $count } new deadline violation on { $date }
   *[other] { $count } new deadline violations on { $date }
  } ({ $clause }):
violations-digest-line = • { $person }: { $case }, { $step } ({ $clause }), due { $due }, late by { $overdue }
violations-digest-none = No new deadline violations on { $date }.

## Urgent incidents and spikes
urgent-push = 🚨 Urgent case { $case } ({ $importance }){ $topic }
    { $text }
    { $link }
spike-dimension-topic = on topic
spike-dimension-location = at location
spike-alert = 📈 Increased social activity { $dimension } “{ $value }”: { $count ->
    [one] { $count } message
   *[other] { $count } messages
  } in the last hour against a usual { $baseline } an hour (7 days).
    Cases: { $cases }

## Monthly summary
report-title = Summary for { $month }: { $org }
report-message = 📊 Summary of work with messages from open sources for { $month }
    Received: { $received }, answered: { $answered }, on time: { $onTime }.
    Overdue: { $overdue }. Average in working hours: first response — { $firstResponse }, final answer — { $finalAnswer }.
    Against last month: received { $receivedDelta }, share on time { $onTimeDelta }
    { $violations ->
        [0] No deadline violations.
        [one] { $violations } deadline violation.
       *[other] { $violations } deadline violations.
    }
report-late-note = ⚠️ The summary is late: the service was down when it was due.
report-no-data = no data
report-usage = Which month? Choose below or type: /report 2026-10
report-bad-month = “{ $value }” is not a month. Example: /report 2026-10
report-not-allowed = The summary is for the coordinator, the administrator and the head.
report-file-caption = Summary for { $month }
report-unrouted = Not routed

## XLSX sheets and columns
sheet-headline = Headline
sheet-departments = Departments
sheet-dynamics = Dynamics
sheet-violations = Violations
col-indicator = Indicator
col-current = This month
col-previous = Last month
col-department = Department
col-received = Received
col-answered = Answered
col-on-time = On time
col-on-time-pct = On time, %
col-overdue = Overdue
col-avg-first = First response, average (working time, h:mm)
col-median-first = First response, median (working time, h:mm)
col-avg-final = Final answer, average (working time, h:mm)
col-median-final = Final answer, median (working time, h:mm)
col-intermediate = Intermediate answers
col-reworks = Reworks
col-returns = Returns
col-repeats = Repeats
col-dimension = Dimension
col-value = Value
col-delta = Change
col-delta-pct = Change, %
col-person = Person
col-violations = Violations
col-overdue-minutes = Late by (working time, h:mm)
col-clauses = Clauses
dimension-topic = Topic
dimension-location = Location
dimension-source = Source
value-unset = (not set)
total-row = Total
headline-on-time = Share answered on time, %
headline-first = Average first response (working time, h:mm)
headline-final = Average final answer (working time, h:mm)
chart-title = Cases by department, { $month }
chart-legend-received = Received
chart-legend-on-time = Answered on time
chart-legend-overdue = Overdue

## /today — the head's digest
today-title = 📋 { $date }:
today-line-open = In work: { $open }, urgent: { $urgent }.
today-line-due = Due today: { $dueToday }, overdue now: { $overdue }.
today-line-received = Received today: { $received }, new violations: { $violations }.
today-spikes = Activity spikes: { $spikes }
today-not-allowed = /today is the head's digest.
significance-suggest = 🚨 Case { $case } looks like a significant incident («{ $word }»): an accident, an emergency or an ecological threat (А17). If so, report it to the head.
significance-btn = 🚨 Significant incident — report to the head

report-source-max = MAX
report-source-max_comment = MAX (channel comments)
