# Люди и доступ: приглашения, список сотрудников, отсутствие, меню команд.
invite-choose-role = Для какой роли создать приглашение?
invite-choose-department = Роль: { $role }. Выберите подразделение:
invite-created = Одноразовая ссылка-приглашение
    Роль: { $role } · Подразделение: { $department }
    Действует до { $until }:
    { $link }
invite-invalid = Ссылка-приглашение недействительна: она уже использована или её срок истёк. Попросите администратора о новой. Ваш Telegram ID: { $id }.
invite-welcome = Добро пожаловать, { $name }! Вы подключены как: { $role }. Команды — в меню бота.
staff-title = Сотрудники (активных: { $count }):
staff-away-choose-days = На сколько дней вы отсутствуете? Новые поручения на это время получит замещающий.
staff-away-choose-days-for = На сколько дней отсутствует { $name }?
staff-away-choose-substitute = Кто замещает?
staff-away-set = 🏖 { $name } отсутствует до { $until }
    Замещает: { $substitute }
staff-needs-a-role = У сотрудника должна остаться хотя бы одна роль.
staff-needs-department = Для этой роли нужно подразделение: пригласите сотрудника заново с подразделением.
staff-confirm-deactivate = Отключить доступ { $name }? Доступ пропадёт сразу, история сохранится.
staff-not-yourself = Нельзя отключить самого себя.
staff-deactivated = Доступ { $name } отключён.
btn-confirm-deactivate = ⛔ Да, отключить
btn-reactivate = ↩ Вернуть доступ
btn-deactivate = ⛔ Отключить доступ
btn-set-away = 🏖 Отсутствие и замещение
btn-no-substitute = Без замещающего
command-start = Кто я в системе
command-queue = Что ждёт моих действий
command-overdue = Просроченные сроки
command-case = Карточка обращения по номеру
command-find = Поиск обращений
command-staff = Сотрудники и доступ
command-invite = Пригласить сотрудника
command-report = Сводка за месяц
command-today = Сводка за сегодня
command-away = Я отсутствую (замещение)
command-cancel = Отменить ввод
card-access-ended = Доступ к обращениям закрыт. Содержимое карточки скрыто.
input-role-changed = Ввод прекращён: ваши права изменились и это действие вам больше недоступно.
command-day = Нерабочие дни (объявить)
staff-away-open-work = 🏖 { $name } отсутствует, за ним остаются открытые обращения ({ $count }): { $cases }.
    Откройте карточку обращения, чтобы переназначить исполнителя.
    Замещает: { $substitute }
messenger-unknown-other = Другой мессенджер для вас не указан: попросите администратора добавить в файл организации ваш Telegram ID или MAX ID.
messenger-confirm = Перенести рабочее место в { $other }? Карточки в этом чате будут скрыты, новые придут в { $other }. Откройте бота в { $other } заранее (кнопка «Начать»), иначе он не сможет вам написать.
messenger-switch-button = Перейти в { $other }
messenger-switched = Рабочее место перенесено в { $other }. Карточки в этом чате скрыты.
messenger-welcome = { $name }, ваше рабочее место теперь здесь. Текущие дела — /queue, справка — /help.
invite-invalid-max = Ссылка-приглашение недействительна: она уже использована или её срок истёк. Попросите администратора о новой. Ваш MAX ID: { $id }.
