-- A document whose text gives no date (the Scheme, de-an-2026-2030) says what its own
-- text shows instead: the latest date it gives for its making, and that passage.
ALTER TABLE documents ADD COLUMN issued_after TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN issued_after_text TEXT NOT NULL DEFAULT '';
-- A database seeded before this migration gets the Scheme's (seed/data/documents.json).
UPDATE documents SET issued_after = '2025-10-27', issued_after_text = 'Chương trình hành động số 04-CTr/TU, ngày 27/10/2025 của Ban Chấp hành Đảng bộ tỉnh Thái Nguyên thực hiện Nghị quyết Đại hội Đại biểu Đảng bộ tỉnh Thái Nguyên lần thứ I, nhiệm kỳ 2025 - 2030 đã xác định xây dựng Đề án Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số tỉnh Thái Nguyên, giai đoạn 2026-2030 là một trong 20 đề án nhằm triển khai thực hiện tốt các mục tiêu, nhiệm vụ, khâu đột phá theo Nghị quyết Đại hội Đại biểu Đảng bộ tỉnh lần thứ I, nhiệm kỳ 2025-2030.'
	WHERE slug = 'de-an-2026-2030' AND issued = '' AND issued_after = '';
