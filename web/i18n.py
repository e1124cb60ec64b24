"""Every string of the web pages, in Vietnamese (the default) and English.

`translator(lang)` gives `t(key, **values)`. The labels of states, events, roles, actions
and emails come from `domain.vocabulary`, in both languages, through `Labels`. Messages from
the workflow (a refusal's reason) and from the importer stay Vietnamese.
"""

from __future__ import annotations

from collections.abc import Callable

from domain.communes import commune_title
from domain.language import Language
from domain.lifecycle import TaskEntryKind, TaskState
from domain.models import CommuneKind, RowFate
from domain.notifications import EmailStatus, NotificationKind
from domain.people import PersonRole
from domain.roles import Action, Role
from domain.vocabulary import label

LANGUAGES = tuple(Language)
DEFAULT = Language.VI

TEXTS: dict[str, tuple[str, str]] = {
    # frame
    "app_name": ("Theo dõi CCHC", "CCHC tracker"),
    "dashboard": ("Bảng theo dõi", "Dashboard"),
    "my_tasks": ("Nhiệm vụ của tôi", "My tasks"),
    "plans": ("Kế hoạch", "Plans"),
    "outbox": ("Hộp thư đi", "Outbox"),
    "users": ("Tài khoản", "Accounts"),
    "sign_in": ("Đăng nhập", "Sign in"),
    "sign_out": ("Đăng xuất", "Sign out"),
    "username": ("Tên đăng nhập", "Username"),
    "password": ("Mật khẩu", "Password"),
    "sign_in_failed": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password."),
    "sign_in_locked": (
        "Đăng nhập sai quá nhiều lần: hãy thử lại sau {until}.",
        "Too many failed sign-ins: try again after {until}.",
    ),
    "error": ("Không thực hiện được", "Could not be done"),
    "back_home": ("Về trang chính", "Back to the start page"),
    "today": ("hôm nay", "today"),
    "all": ("Tất cả", "All"),
    "filter": ("Lọc", "Filter"),
    # tasks
    "task": ("Nhiệm vụ", "Task"),
    "code": ("Mã", "Code"),
    "commune": ("Xã", "Commune"),
    "plan": ("Kế hoạch", "Plan"),
    "unit": ("Đơn vị", "Unit"),
    "units": ("Đơn vị", "Units"),
    "state": ("Trạng thái", "State"),
    "lead": ("Chủ trì", "Lead"),
    "due": ("Hạn", "Due"),
    "occurrence": ("Kỳ thực hiện", "Occurrence"),
    "days_late": ("Trễ (ngày)", "Days late"),
    "days_late_n": ("trễ {n} ngày", "{n} days late"),
    "level": ("Mức", "Level"),
    "escalation_level": ("Cảnh báo quá hạn (lần)", "Overdue warnings (level)"),
    "officer": ("Công chức được giao", "Assigned officer"),
    "progress": ("Tiến độ", "Progress"),
    "urgency": ("Mức khẩn", "Urgency"),
    "urgency_red": ("quá hạn", "overdue"),
    "urgency_amber": ("sắp đến hạn (trong 3 ngày làm việc)", "due within 3 working days"),
    "urgency_green": ("trong hạn", "on track"),
    "urgency_done": ("đã kết thúc", "finished"),
    "overdue": ("Quá hạn", "Overdue"),
    "n_overdue": ("{n} nhiệm vụ quá hạn", "{n} overdue"),
    "no_overdue": ("Không có nhiệm vụ nào quá hạn.", "No task is overdue."),
    "weekly_list": ("Danh sách nhiệm vụ họp giao ban", "List for the weekly meeting"),
    "peoples_committee": ("UBND", "People's Committee,"),
    "all_communes": ("Tất cả các xã", "All communes"),
    "dated": ("Ngày {day}", "Date {day}"),
    "print_hint": (
        "Để in: dùng lệnh In của trình duyệt (Ctrl+P), khổ A4 dọc.",
        "To print: use the browser's Print command (Ctrl+P), A4 portrait.",
    ),
    "row_number": ("STT", "No."),
    "warned": ("Đã nhắc việc, cảnh báo quá hạn", "Reminded, warned"),
    "not_warned": ("Chưa nhắc", "Not yet reminded"),
    "export_xlsx": ("Tải Excel (.xlsx)", "Download Excel (.xlsx)"),
    "due_this_week": ("Sắp đến hạn trong 7 ngày tới", "Due in the next 7 days"),
    "nothing_due_this_week": (
        "Không có nhiệm vụ nào sắp đến hạn trong 7 ngày tới.",
        "Nothing falls due in the next 7 days.",
    ),
    "on_time_rate": ("Tỷ lệ đúng hạn", "On-time rate"),
    "rates_title": ("Tỷ lệ hoàn thành đúng hạn theo đơn vị", "On-time rate per unit"),
    "trend_title": ("Tỷ lệ đúng hạn theo tháng, năm {year}", "On-time rate per month, {year}"),
    "matching_tasks": ("Nhiệm vụ theo bộ lọc", "Tasks matching the filter"),
    "no_tasks": ("Không có nhiệm vụ nào.", "No tasks."),
    "open_tasks": ("Đang thực hiện", "Open"),
    "no_open_tasks": ("Không có nhiệm vụ nào đang chờ đồng chí.", "Nothing is waiting for you."),
    "finished_tasks": ("Đã kết thúc", "Finished"),
    "coordinated_tasks": ("Phối hợp thực hiện", "Coordinating"),
    "unit_summary": (
        "{occurrences} kỳ thực hiện, theo kế hoạch: {on_time} hoàn thành đúng hạn, {late} hoàn thành trễ hạn, "
        "{overdue} quá hạn, {not_done} dừng thực hiện không có văn bản điều chỉnh; "
        "tỷ lệ đúng hạn {rate}, theo chỉ đạo {rate_directed}.",
        "{occurrences} task occurrences, by the plan: {on_time} on time, {late} done late, "
        "{overdue} overdue, {not_done} stopped without an amending document; "
        "on-time rate {rate}, as directed {rate_directed}.",
    ),
    "temporal_down": (
        "Hệ thống theo dõi nhiệm vụ tạm thời không hoạt động: các thao tác trên nhiệm vụ chưa thực hiện được.",
        "Task tracking is down for now: actions on tasks are unavailable.",
    ),
    "finished_demo": (
        "Đây là dữ liệu của bản chạy thử (cchc demo): một năm kế hoạch đã mô phỏng xong. "
        "Đồng chí xem được mọi nhiệm vụ, sản phẩm và kết quả; các thao tác trên nhiệm vụ không còn thực hiện được.",
        "This is the data of a demo run (cchc demo): a plan's year, fully simulated. "
        "You can read every task, its evidence and results; actions on tasks are no longer available.",
    ),
    "worker_down": (
        "Nhắc việc và cảnh báo quá hạn đang tạm dừng: đề nghị liên hệ quản trị hệ thống.",
        "Reminders and overdue warnings have stopped: please contact the administrator.",
    ),
    # one task
    "evidence": ("Sản phẩm", "Evidence"),
    "no_evidence": ("Chưa nộp sản phẩm nào.", "No evidence submitted yet."),
    "document_number": ("Số văn bản", "Document number"),
    "document_issuer_hint": ("để trống nếu là UBND xã", "leave empty for the commune's UBND"),
    "document_date": ("Ngày văn bản (dd/mm/yyyy)", "Document date (dd/mm/yyyy)"),
    "document_title": ("Trích yếu", "Title"),
    "submitted": ("Người nộp, lúc", "Submitted by, at"),
    "file": ("Tệp", "File"),
    "download": ("Tải về", "Download"),
    "evidence_file_hint": ("PDF, Word, Excel, ảnh quét; tối đa {mb} MB", "PDF, Word, Excel, scans; at most {mb} MB"),
    "actions": ("Thao tác", "Actions"),
    "no_actions": (
        "Đồng chí không có thao tác nào trên nhiệm vụ này lúc này.",
        "There is nothing you can do on this task now.",
    ),
    "note": ("Ghi chú", "Note"),
    "percent": ("Phần trăm hoàn thành", "Percent done"),
    "comment": ("Ý kiến (bắt buộc khi trả lại)", "Comment (required to return)"),
    "approve": ("Xác nhận hoàn thành", "Confirm completion"),
    "return_for_rework": ("Trả lại để làm lại", "Return for rework"),
    "new_due": ("Hạn mới (dd/mm/yyyy)", "New due date (dd/mm/yyyy)"),
    "reason": ("Lý do", "Reason"),
    "stop_document_hint": (
        "Nếu nhiệm vụ được dừng theo kế hoạch điều chỉnh, ghi số và ngày văn bản: khi đó nhiệm vụ không tính vào "
        "tỷ lệ đúng hạn; không có văn bản, nhiệm vụ được tính là chưa hoàn thành.",
        "If the task is stopped by an amending plan, give its number and date: the task then leaves the on-time "
        "rate; without a document it counts as not done.",
    ),
    "stop_document_number": ("Số văn bản điều chỉnh (nếu có)", "Amending document number (if any)"),
    "stop_document_date": ("Ngày ban hành (dd/mm/yyyy)", "Issued on (dd/mm/yyyy)"),
    "new_lead": ("Đơn vị chủ trì mới", "New lead unit"),
    "timeline": ("Diễn biến", "Timeline"),
    "when": ("Lúc", "When"),
    "what": ("Sự việc", "What"),
    "state_after": ("Trạng thái sau", "State after"),
    "who": ("Người thực hiện", "Who"),
    "why": ("Chi tiết, lý do", "Details, reason"),
    "done_acknowledge": ("Đã nhận nhiệm vụ.", "Task acknowledged."),
    "done_report_progress": ("Đã báo cáo tiến độ.", "Progress reported."),
    "done_submit_evidence": ("Đã nộp sản phẩm {number}.", "Evidence {number} submitted."),
    "same_file_already_stored": (
        "(Tệp này đã có trong kho sản phẩm: không lưu lần hai.)",
        "(This file was already in the evidence store: not stored twice.)",
    ),
    "done_review": ("Đã ghi kết quả kiểm tra.", "Check recorded."),
    "done_extend_deadline": ("Đã gia hạn.", "Deadline extended."),
    "done_reassign": ("Đã giao lại nhiệm vụ.", "Task reassigned."),
    "done_waive": ("Đã dừng thực hiện nhiệm vụ.", "Task stopped."),
    # plans
    "import_plan": ("Nhập kế hoạch", "Import a plan"),
    "upload_plan_file": ("Chọn tệp kế hoạch", "Choose the plan file"),
    "read_plan": ("Đọc kế hoạch", "Read the plan"),
    "year": ("Năm", "Year"),
    "year_hint": ("bỏ trống nếu kế hoạch đã ghi", "leave empty if the plan says"),
    "commune_hint": ("bỏ trống nếu kế hoạch đã ghi", "leave empty if the plan says"),
    "at_most_mb": ("tối đa {mb} MB", "at most {mb} MB"),
    "plan_has_errors": ("Không đọc được kế hoạch: hãy sửa các lỗi sau", "The plan cannot be read: fix these errors"),
    "row": ("Hàng", "Row"),
    "column": ("Cột", "Column"),
    "problem": ("Lỗi", "Problem"),
    "preview": ("Xem trước", "Preview"),
    "warnings": ("Cần xem lại", "Warnings"),
    "rows_of_file": ("Các hàng, dòng của tệp đã được đọc thành", "What became of the file's rows and lines"),
    "rows_to_see": (
        "Hàng bỏ qua có ghi bộ phận hoặc thời gian: hãy kiểm tra",
        "Skipped rows that name a unit or a time: please check",
    ),
    "where": ("Vị trí", "Where"),
    "content": ("Nội dung", "Content"),
    "confirm_store_plan": ("Xác nhận và lưu kế hoạch", "Confirm and store the plan"),
    "source": ("Nguồn", "Source"),
    "lines": ("dòng", "lines"),
    "named_officers": ("Người được giao", "Named officers"),
    "draft_needs_leads": (
        "Bản nháp có nhiệm vụ chưa có cơ quan chủ trì ({codes}): hãy ghi cơ quan chủ trì trong bản nháp rồi xác nhận.",
        "The draft has tasks without a lead ({codes}): write their lead in the draft, then confirm.",
    ),
    "draft_editor": ("Bản nháp kế hoạch", "Plan draft"),
    "draft_editor_notice": (
        "Các nhiệm vụ dưới đây được đọc từ tệp kế hoạch. Đối chiếu từng nhiệm vụ với đoạn nguồn bên cạnh, sửa tên, "
        "chủ trì, phối hợp, thời gian, tiêu chí; thêm, xóa, gộp hoặc tách nhiệm vụ; mỗi lần bấm nút, bản nháp được lưu lại.",
        "The tasks below were read from the plan file. Check each against its source beside it; correct its title, "
        "lead, coordinating units, time and criteria; add, delete, merge or split tasks. Every button keeps the draft.",
    ),
    "edit_draft": ("Sửa từng nhiệm vụ trước khi lưu", "Correct the tasks before storing"),
    "save_draft": ("Lưu bản nháp", "Keep the draft"),
    "number_in_section": ("Số thứ tự", "Number"),
    "plan_head": ("Số, ngày và cơ quan ban hành kế hoạch", "The plan's number, date and issuer"),
    "plan_number": ("Số ký hiệu (ví dụ 45/KH-UBND)", "Number (e.g. 45/KH-UBND)"),
    "issue_date": ("Ngày ban hành (dd/mm/yyyy)", "Date of issue (dd/mm/yyyy)"),
    "plan_title": ("Tên kế hoạch", "Title"),
    "head_guessed": ("Tệp không ghi, hãy kiểm tra:", "Not in the file, check it:"),
    "task_title": ("Tên nhiệm vụ", "Task"),
    "coordinating": ("Phối hợp", "Coordinating"),
    "names_separated": ("cách nhau bằng dấu phẩy", "separated by commas"),
    "criteria_codes": ("Tiêu chí, tiêu chí thành phần", "Criteria"),
    "recompute": ("Tính lại", "Recompute"),
    "noticed_reading": ("Khi đọc đoạn nguồn của nhiệm vụ này:", "Noticed when its source was read:"),
    "add_task_after": ("Thêm nhiệm vụ sau", "Add a task after"),
    "split_task": ("Tách làm hai", "Split in two"),
    "merge_with_next": ("Gộp với nhiệm vụ sau", "Merge with the next"),
    "delete_task": ("Xóa nhiệm vụ", "Delete the task"),
    "draft_confirm_hint": (
        "Khi mọi nhiệm vụ đã đúng, xác nhận để lưu kế hoạch; sau đó khởi động kế hoạch từ trang của nó.",
        "When every task is right, confirm to store the plan; then start it from its page.",
    ),
    "upload_gone": (
        "Tệp xem trước không còn (đã lưu hoặc quá một ngày): hãy tải lên lại.",
        "The previewed file is gone (stored already, or a day old): upload it again.",
    ),
    "plan_saved": ("Đã lưu kế hoạch {number} (id {id}).", "Plan {number} stored (id {id})."),
    "plan_already_saved": (
        "Kế hoạch {number} đã được nhập trước đó (id {id}): không có gì thay đổi.",
        "Plan {number} was imported before (id {id}): nothing changed.",
    ),
    "no_plans": ("Chưa có kế hoạch nào.", "No plans yet."),
    "number": ("Số", "Number"),
    "date": ("Ngày", "Date"),
    "issuer": ("Cơ quan ban hành", "Issued by"),
    "task_count": ("Số nhiệm vụ", "Tasks"),
    "period": ("Thời gian", "Period"),
    "due_dates": ("Hạn", "Due dates"),
    "past_due_at_issue": ("đã quá hạn khi ban hành", "past due when issued"),
    "plan_started_count": ("{n} kỳ thực hiện đã được khởi động.", "{n} occurrences started."),
    "include_past_due": (
        "Khởi động cả các nhiệm vụ đã quá hạn (cảnh báo quá hạn ngay)",
        "Start the overdue ones too (overdue warning at once)",
    ),
    "start_plan": ("Khởi động kế hoạch", "Start the plan"),
    "report_period": ("Kỳ báo cáo", "Report period"),
    "report_final": ("Đã kiểm tra, bản chính thức: bỏ dấu DỰ THẢO", "Checked, the final text: no DRAFT mark"),
    "draft_report": ("Tải báo cáo CCHC định kỳ (.docx)", "Download the periodic CCHC report (.docx)"),
    "started_n": ("đã khởi động {n} nhiệm vụ", "{n} tasks started"),
    "already_running_n": ("{n} nhiệm vụ đã đang chạy từ trước: giữ nguyên.", "{n} were running already: unchanged."),
    "already_closed_n": ("{n} nhiệm vụ đã kết thúc: không khởi động lại.", "{n} had finished: not started again."),
    "started_past_due_n": (
        "{n} nhiệm vụ đã quá hạn khi khởi động (cảnh báo quá hạn ngay)",
        "{n} were overdue when started (overdue warning at once)",
    ),
    "skipped_past_due_n": ("{n} nhiệm vụ đã quá hạn, CHƯA khởi động", "{n} are overdue and were NOT started"),
    "units_without_email": (
        "Chưa có ai nhận email của đơn vị {units}: đề nghị quản trị hệ thống nhập danh bạ.",
        "Nobody receives the emails of {units}: ask the administrator to import the directory.",
    ),
    "back_to_plan": ("Về kế hoạch", "Back to the plan"),
    "amends": ("Điều chỉnh kế hoạch đã nhập", "Amends a stored plan"),
    "amends_hint": (
        "chọn khi tệp là kế hoạch điều chỉnh, bổ sung; bản sửa của kế hoạch đã nhập được nhận ra tự động",
        "choose it for an amending plan; a corrected version of a stored plan is recognised by itself",
    ),
    "amendment_of": (
        "Điều chỉnh kế hoạch {plan} theo văn bản {number} ngày {date}",
        "Amendment of plan {plan} by document {number} of {date}",
    ),
    "change": ("Thay đổi", "Change"),
    "outcome": ("Kết quả", "Outcome"),
    "amendment_changes_nothing": (
        "Văn bản {number} không thay đổi gì kế hoạch {plan}.",
        "Document {number} changes nothing in plan {plan}.",
    ),
    "amendment_not_applied": (
        "Chưa áp dụng. Xác nhận để áp dụng cho các nhiệm vụ đang chạy.",
        "Not applied yet. Confirm to apply it to the running tasks.",
    ),
    "amendment_chairman_confirms": (
        "Chưa áp dụng. Chủ tịch UBND xã xác nhận để áp dụng cho các nhiệm vụ đang chạy.",
        "Not applied yet. The commune chairman confirms it to apply it to the running tasks.",
    ),
    "confirm_amendment": ("Xác nhận và áp dụng điều chỉnh", "Confirm and apply the amendment"),
    "amendment_applied": ("Đã áp dụng điều chỉnh cho kế hoạch {plan}.", "Amendment applied to plan {plan}."),
    # outbox
    "created": ("Tạo lúc", "Created"),
    "kind": ("Loại", "Kind"),
    "subject": ("Tiêu đề", "Subject"),
    "recipients": ("Người nhận", "Recipients"),
    "status": ("Trạng thái", "Status"),
    "attempts": ("Số lần gửi", "Attempts"),
    "sent_at": ("Gửi lúc", "Sent at"),
    "last_error": ("Lỗi gần nhất", "Last error"),
    "no_emails": ("Chưa có thư nào.", "No emails yet."),
    "newest_first": ("Mới nhất trước, tối đa {n} thư.", "Newest first, at most {n}."),
    # accounts
    "display_name": ("Họ tên", "Name"),
    "email": ("Email", "Email"),
    "role": ("Vai trò", "Role"),
    "every_commune": ("(mọi xã)", "(every commune)"),
    "active": ("hoạt động", "active"),
    "locked": ("đã khóa", "locked"),
    "lock": ("Khóa", "Lock"),
    "unlock": ("Mở khóa", "Unlock"),
    "add_user": ("Thêm tài khoản", "Add an account"),
    "commune_of_user_hint": (
        "bỏ trống: mọi xã, cho kiểm tra viên, quản trị",
        "empty: every commune, for auditors and admins",
    ),
    "units_hint": (
        "đơn vị của công chức, đơn vị do Phó Chủ tịch phụ trách, đơn vị của người kiểm tra, xác nhận hoàn thành; cách nhau bằng dấu phẩy",
        "an officer's, a vice chairman's in charge, the office's own; separated by commas",
    ),
    "supervises": ("Xã giám sát", "Communes supervised"),
    "supervision": ("Thẩm định Chỉ số CCHC", "PAR appraisal"),
    "par_round": ("Chỉ số CCHC", "PAR index"),
    "year_end": ("Việc cuối năm", "Year end"),
    "evidence_package": ("Tải gói tài liệu kiểm chứng (.zip)", "Download the evidence package (.zip)"),
    "year_end_of_plan": ("Việc cuối năm — kế hoạch {number}", "Year end — plan {number}"),
    "as_of": ("tính đến ngày {day}", "as of {day}"),
    "result": ("Kết quả", "Result"),
    "criterion_or_section": ("Tiêu chí / Mục", "Criterion / section"),
    "to_do": ("Kỳ phải làm", "Occurrences to do"),
    "completed": ("Đã hoàn thành", "Completed"),
    "lacking": ("Còn thiếu", "Lacking"),
    "groups_lacking": ("Tiêu chí, mục còn thiếu tài liệu kiểm chứng", "Criteria and sections lacking documents"),
    "groups_lacking_none": (
        "Mọi tiêu chí, mục đều đã có sản phẩm được xác nhận hoàn thành.",
        "Every criterion and section has confirmed results.",
    ),
    "without_evidence": (
        "Nhiệm vụ chưa có sản phẩm được xác nhận hoàn thành",
        "Tasks without a confirmed result",
    ),
    "without_evidence_none": (
        "Mọi nhiệm vụ đều đã có sản phẩm được xác nhận hoàn thành.",
        "Every task has a confirmed result.",
    ),
    "late_tasks": ("Nhiệm vụ trễ hạn", "Late tasks"),
    "late_tasks_none": ("Không nhiệm vụ nào trễ hạn.", "No task is late."),
    "still_due": ("Còn đến hạn từ nay đến {end}", "Still due from today to {end}"),
    "still_due_none": (
        "Không còn nhiệm vụ nào đến hạn từ nay đến {end}.",
        "No task falls due from today to {end}.",
    ),
    "missing_files": ("Tệp không còn trong kho tài liệu", "Files missing from the document store"),
    "catalogues": ("Bộ tiêu chí", "Criteria sets"),
    "supervises_hint": (
        "của thẩm định viên, lãnh đạo cơ quan giám sát; cách nhau bằng dấu phẩy",
        "an appraiser's or supervisor's; separated by commas",
    ),
    "user_added": ("Đã thêm tài khoản {username}.", "Account {username} added."),
    "user_exists": ("Đã có tài khoản {username}.", "Account {username} exists already."),
    "user_locked": ("Đã khóa tài khoản {username}.", "Account {username} locked."),
    "user_unlocked": ("Đã mở khóa tài khoản {username}.", "Account {username} unlocked."),
    "cannot_lock_yourself": ("Không thể tự khóa tài khoản của mình.", "You cannot lock your own account."),
    "password_reset": (
        "Đã đặt lại mật khẩu cho {username}; mọi phiên đăng nhập cũ đã kết thúc.",
        "Password of {username} reset; its earlier sessions have ended.",
    ),
    "reset_password": ("Đặt lại mật khẩu", "Reset password"),
    "new_password": ("Mật khẩu mới", "New password"),
    # one's own password
    "change_password": ("Đổi mật khẩu", "Change password"),
    "current_password": ("Mật khẩu hiện tại", "Current password"),
    "new_password_again": ("Nhập lại mật khẩu mới", "New password again"),
    "password_hint": (
        "ít nhất 8 ký tự, không dùng mật khẩu phổ biến",
        "at least 8 characters, not a common password",
    ),
    "password_set_by_someone_else": (
        "Mật khẩu hiện tại do người khác đặt (quản trị hệ thống hoặc người cấp tài khoản): "
        "hãy đổi sang mật khẩu chỉ mình biết trước khi làm việc.",
        "Someone else (an administrator, or whoever gave the account) set the current password: "
        "change it to one only you know before going on.",
    ),
    "passwords_differ": ("Hai lần nhập mật khẩu mới không khớp nhau.", "The two new passwords differ."),
    "current_password_wrong": ("Mật khẩu hiện tại không đúng.", "The current password is wrong."),
    "password_unchanged": (
        "Mật khẩu mới phải khác mật khẩu hiện tại.",
        "The new password must differ from the current one.",
    ),
    "password_changed": (
        "Đã đổi mật khẩu; các phiên đăng nhập khác của tài khoản đã kết thúc.",
        "Password changed; the account's other sessions have ended.",
    ),
    # people directory
    "people": ("Danh bạ", "People"),
    "people_intro": (
        "Những người nhận email nhắc việc, cảnh báo quá hạn của xã; người thôi nhận vẫn được giữ lại.",
        "Who receives the commune's reminders and overdue warnings; those who stopped are kept.",
    ),
    "choose_commune": ("Chọn xã", "Choose a commune"),
    "full_name": ("Họ tên", "Full name"),
    "person_roles": ("Vai trò", "Roles"),
    "in_charge": ("Đơn vị phụ trách", "Units in charge"),
    "in_charge_hint": ("chỉ Phó Chủ tịch; cách nhau bằng dấu ;", "a Phó Chủ tịch only; separated by ;"),
    "language": ("Ngôn ngữ", "Language"),
    "receives_email": ("đang nhận email", "receives emails"),
    "no_email": ("đã thôi nhận email", "receives no email"),
    "stop_email": ("Thôi nhận email", "Stop emails"),
    "resume_email": ("Nhận email trở lại", "Resume emails"),
    "edit": ("Sửa", "Edit"),
    "save": ("Lưu", "Save"),
    "add_person": ("Thêm người", "Add a person"),
    "person_added": ("Đã thêm {name} vào danh bạ.", "{name} added to the directory."),
    "person_changed": ("Đã lưu thông tin của {name}.", "{name}'s entry saved."),
    "person_inactive": ("{name} đã thôi nhận email.", "{name} receives no more emails."),
    "person_active": ("{name} nhận email trở lại.", "{name} receives emails again."),
    "who_leads": ("Ai phụ trách đơn vị nào", "Who leads which unit"),
    "heads": ("Trưởng bộ phận", "Head"),
    "leader_in_charge": ("Lãnh đạo phụ trách", "Leader in charge"),
    "nobody": ("chưa có", "nobody"),
    "account": ("Tài khoản", "Account"),
    "no_account": ("chưa có tài khoản", "no account"),
    "add_account": ("Tạo tài khoản", "Create an account"),
    "import_people": ("Nhập danh bạ từ tệp", "Import the directory from a file"),
    "import_people_hint": (
        "Tệp .csv hoặc .xlsx (cột Họ tên, Email, Đơn vị, Vai trò, Đơn vị phụ trách) là toàn bộ danh bạ của xã:"
        " ai không còn trong tệp sẽ thôi nhận email.",
        "A .csv or .xlsx file (columns name, email, unit, roles, in_charge) is the commune's whole directory:"
        " whoever it leaves out stops receiving emails.",
    ),
    "read_file": ("Đọc tệp", "Read the file"),
    "people_file_errors": ("Tệp danh bạ có lỗi, chưa lưu gì:", "The directory file has errors; nothing was stored:"),
    "people_preview": ("Tệp {file}: {n} người. Chưa lưu gì.", "File {file}: {n} people. Nothing stored yet."),
    "will_add": ("Thêm (hoặc nhận email trở lại)", "Added (or receiving emails again)"),
    "will_change": ("Thay đổi", "Changed"),
    "will_remove": ("Thôi nhận email", "Stop receiving emails"),
    "confirm_import": ("Xác nhận lưu danh bạ", "Confirm and store the directory"),
    "directory_imported": (
        "Đã lưu danh bạ: thêm {added}, thay đổi {changed}, thôi nhận email {removed}.",
        "Directory stored: {added} added, {changed} changed, {removed} stopped.",
    ),
}

# What an administrator reads instead: the servers and commands behind a message. Nobody else
# is shown a server's or a command's name.
TECHNICAL: dict[str, tuple[str, str]] = {
    "temporal_down": (
        "Không kết nối được máy chủ Temporal: các thao tác trên nhiệm vụ tạm thời không thực hiện được.",
        "Temporal cannot be reached: actions on tasks are unavailable for now.",
    ),
    "worker_down": (
        "Không có worker nào đang chạy: nhắc việc và cảnh báo quá hạn đang dừng (chạy cchc up hoặc cchc worker).",
        "No worker is running: reminders and overdue warnings have stopped (run cchc up or cchc worker).",
    ),
    "units_without_email": (
        "Chưa có ai nhận email của đơn vị {units}: hãy nhập danh bạ (cchc people import).",
        "Nobody receives the emails of {units}: import the directory (cchc people import).",
    ),
}


def translator(lang: str, *, technical: bool = False) -> Callable[..., str]:
    """`t(key, **values)` in `lang`; with `technical` (an administrator) the words that name
    servers and commands where there are such."""
    index = 1 if lang == "en" else 0
    texts = {**TEXTS, **TECHNICAL} if technical else TEXTS

    def t(key: str, **values: object) -> str:
        text = texts[key][index]
        return text.format(**values) if values else text

    return t


class Labels:
    """The vocabulary's words in one language, for templates that hold plain strings."""

    def __init__(self, lang: str) -> None:
        self.lang = Language(lang)

    def state(self, state: TaskState | str) -> str:
        return label(TaskState(state), self.lang)

    def event(self, kind: TaskEntryKind | str) -> str:
        return label(TaskEntryKind(kind), self.lang)

    def role(self, role: Role | str) -> str:
        return label(Role(role), self.lang)

    def person_role(self, role: PersonRole) -> str:
        return label(role, self.lang)

    def action(self, action: Action | str) -> str:
        words = label(Action(action), self.lang)
        return words[:1].upper() + words[1:]

    def kind(self, kind: NotificationKind | str) -> str:
        return label(NotificationKind(kind), self.lang)

    def commune(self, kind: CommuneKind | None, name: str) -> str:
        """ "Phường Bến Nghé": the commune with its kind."""
        return commune_title(kind, name, self.lang)

    def fate(self, fate: RowFate) -> str:
        return label(fate, self.lang)

    def status(self, status: EmailStatus | str) -> str:
        return label(EmailStatus(status), self.lang)

    def language(self, language: Language | str) -> str:
        """A language named in itself, to offer it: "English", "Tiếng Việt"."""
        language = Language(language)
        return label(language, language)
