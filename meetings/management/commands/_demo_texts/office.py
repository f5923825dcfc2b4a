"""Topics of office cells: lead papers, contributions and speeches written for each."""

from .base import OFFICE, Piece, _topic, paragraphs  # noqa: F401

RESPONSIBILITY = _topic(
    key="trach-nhiem",
    kind=OFFICE,
    directed=True,
    group=1,
    title=(
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về tinh thần trách nhiệm, "
        "dám nghĩ, dám làm vì lợi ích chung"
    ),
    purpose="""
        Giúp mỗi đảng viên hiểu sâu hơn lời dạy của Chủ tịch Hồ Chí Minh về tinh thần trách nhiệm, dám nghĩ,
        dám làm; tự đối chiếu với vị trí công tác của mình; thống nhất những việc làm cụ thể để nâng cao hiệu
        quả công việc của cơ quan trong năm. Yêu cầu đảng viên phát biểu thẳng thắn, gắn với thực tế của từng
        phòng, bộ phận.
    """,
    lead_paper="""
        Chủ tịch Hồ Chí Minh luôn đòi hỏi cán bộ, đảng viên phải “dĩ công vi thượng”, đặt lợi ích của Đảng, của
        nhân dân lên trên hết, trước hết. Người nhắc nhở: việc gì có lợi cho dân thì phải hết sức làm, việc gì có
        hại cho dân thì phải hết sức tránh. Tinh thần trách nhiệm theo tư tưởng của Người không dừng ở chỗ làm đủ
        phần việc được giao, mà là chủ động nghĩ cách làm tốt hơn, dám chịu trách nhiệm về quyết định của mình
        và không đùn đẩy khó khăn cho người khác.

        Thời gian qua, đa số đảng viên của chi bộ đã phát huy tốt vai trò tiên phong, gương mẫu: hoàn thành
        đúng hạn các nhiệm vụ chuyên môn được giao, nhiều đồng chí chủ động đề xuất cải tiến quy trình, rút ngắn
        thời gian xử lý hồ sơ. Tập thể chi bộ được cấp ủy cấp trên đánh giá hoàn thành tốt nhiệm vụ. Những kết
        quả đó có phần quan trọng từ việc chi bộ đưa nội dung học tập và làm theo Bác vào chương trình công tác
        hằng tháng.

        Bên cạnh đó vẫn còn những hạn chế cần nhìn thẳng: một số đồng chí còn tâm lý ngại va chạm, chờ ý kiến
        cấp trên đối với việc thuộc thẩm quyền của mình; có việc phải phối hợp giữa hai bộ phận bị chậm vì không
        ai chủ động đứng ra đầu mối; việc đăng ký làm theo của một số đảng viên còn chung chung, khó kiểm tra,
        đánh giá.

        Để làm theo Bác một cách thiết thực, chi ủy đề xuất ba nhóm giải pháp. Một là mỗi đảng viên đăng ký một
        việc làm cụ thể, có sản phẩm và thời hạn, gắn với nhiệm vụ chuyên môn. Hai là giao rõ đầu mối cho những
        việc liên quan đến nhiều bộ phận, người đứng đầu bộ phận chịu trách nhiệm về tiến độ. Ba là chi bộ biểu
        dương kịp thời những đề xuất đổi mới, sáng tạo vì lợi ích chung và bảo vệ những đồng chí dám nghĩ, dám
        làm khi có sai sót không vì động cơ cá nhân.
    """,
    lead_summary="""
        Đề dẫn nêu nội dung cốt lõi trong tư tưởng Hồ Chí Minh về tinh thần trách nhiệm, đặt lợi ích chung lên
        trên hết; đánh giá kết quả làm theo của đảng viên trong chi bộ và những hạn chế còn tồn tại như tâm lý ngại
        va chạm, chậm phối hợp giữa các bộ phận, đăng ký làm theo còn chung chung.

        Đề dẫn đề xuất ba nhóm giải pháp: đăng ký việc làm cụ thể có sản phẩm và thời hạn; giao rõ đầu mối cho
        việc liên quan nhiều bộ phận; biểu dương, bảo vệ cán bộ dám nghĩ, dám làm vì lợi ích chung.
    """,
    contributions=(
        Piece(
            subject="Liên hệ tinh thần trách nhiệm trong thực hiện nhiệm vụ chuyên môn tại bộ phận",
            point="đăng ký làm theo bằng sản phẩm cụ thể và theo dõi tiến độ hằng tháng tại bộ phận",
            text="""
                Qua nghiên cứu đề dẫn, tôi nhận thức rằng tinh thần trách nhiệm trước hết thể hiện ở chất lượng
                từng văn bản, từng hồ sơ mình xử lý. Ở bộ phận tôi, năm qua vẫn còn hồ sơ phải trả lại để bổ
                sung do khâu kiểm tra ban đầu chưa kỹ, làm mất thời gian của tổ chức, công dân và của chính cơ
                quan.

                Năm nay tôi đăng ký làm theo bằng việc lập sổ theo dõi hồ sơ của bộ phận, mỗi hồ sơ có người
                chịu trách nhiệm và hạn xử lý, cuối tháng báo cáo chi ủy số hồ sơ đúng hạn, quá hạn và lý do.
                Tôi đề nghị chi bộ đưa tỷ lệ hồ sơ đúng hạn vào tiêu chí đánh giá đảng viên cuối năm để việc
                làm theo Bác có thước đo cụ thể.
            """,
        ),
        Piece(
            subject="Giải pháp khắc phục tâm lý ngại va chạm, né tránh trách nhiệm",
            point="giao một đầu mối chịu trách nhiệm cho mỗi việc phối hợp giữa các bộ phận",
            text="""
                Tâm lý ngại va chạm mà đề dẫn nêu là có thật. Khi một việc liên quan đến hai, ba bộ phận, văn
                bản thường đi vòng để xin ý kiến, cuối cùng không ai chịu trách nhiệm về thời hạn. Nguyên nhân
                là chưa có quy định rõ ai là đầu mối và khi chậm thì ai phải giải trình.

                Tôi đề xuất mỗi việc phối hợp đều ghi rõ bộ phận chủ trì ngay trong phiếu giao việc, bộ phận
                phối hợp trả lời trong ba ngày làm việc, quá hạn thì coi như thống nhất. Đảng viên là người
                đứng đầu bộ phận phải gương mẫu nhận phần việc khó, không đẩy lên lãnh đạo cơ quan những việc
                thuộc thẩm quyền của mình.
            """,
        ),
    ),
    speeches=(
        Piece(
            point="gắn việc làm theo Bác với kết quả đánh giá, xếp loại đảng viên cuối năm",
            text="""
                Tôi thống nhất cao với đề dẫn và hai tham luận. Học tập và làm theo Bác không phải là phong
                trào theo đợt mà phải thành nếp làm việc hằng ngày. Nếu việc đăng ký làm theo không được kiểm
                tra thì dễ trở thành hình thức, viết cho có.

                Tôi đề nghị chi ủy đưa kết quả thực hiện bản đăng ký làm theo vào nội dung kiểm điểm, đánh giá,
                xếp loại đảng viên cuối năm; đồng chí nào đăng ký mà không làm được phải giải trình trước chi
                bộ. Như vậy việc làm theo mới có sức nặng và mỗi người mới thật sự có trách nhiệm với lời hứa
                của mình.
            """,
        ),
        Piece(
            point="bảo vệ người dám nghĩ, dám làm bằng quy chế rõ ràng của cơ quan",
            text="""
                Về giải pháp thứ ba của đề dẫn, tôi cho rằng muốn cán bộ dám nghĩ, dám làm thì cơ quan phải có
                quy chế bảo vệ rõ ràng. Nhiều anh em có ý tưởng cải tiến nhưng ngại đề xuất vì sợ nếu không
                thành công sẽ bị đánh giá là thiếu thận trọng.

                Tôi đề nghị chi bộ kiến nghị với lãnh đạo cơ quan cụ thể hóa chủ trương khuyến khích và bảo vệ
                cán bộ năng động, sáng tạo thành quy định nội bộ, trong đó phân biệt rõ sai sót do đổi mới với
                vi phạm vì động cơ cá nhân. Chi bộ cũng nên biểu dương công khai những sáng kiến được áp dụng.
            """,
        ),
        Piece(
            point="người đứng đầu bộ phận và đảng viên lớn tuổi nêu gương cho đảng viên trẻ",
            text="""
                Tôi xin liên hệ bản thân. Là đảng viên trẻ, tôi nhận thấy tấm gương của các đồng chí lãnh đạo
                bộ phận có ảnh hưởng rất lớn: khi trưởng bộ phận ở lại cùng anh em hoàn thành báo cáo gấp thì
                không ai còn tính toán giờ giấc. Nói đi đôi với làm là cách học Bác thuyết phục nhất.

                Vì vậy tôi đề nghị các đồng chí chi ủy viên và người đứng đầu bộ phận tiếp tục nêu gương, đồng
                thời giao việc khó cho đảng viên trẻ kèm người hướng dẫn, để chúng tôi được rèn luyện và trưởng
                thành trong thực tiễn công việc.
            """,
        ),
    ),
    adopted="""
        Chi bộ thống nhất: mỗi đảng viên hoàn thành bản đăng ký làm theo có sản phẩm, thời hạn cụ thể trong
        tháng này; các bộ phận lập sổ theo dõi hồ sơ, báo cáo chi ủy hằng tháng; mỗi việc phối hợp giữa các bộ
        phận có một đầu mối chịu trách nhiệm. Chi ủy kiến nghị lãnh đạo cơ quan ban hành quy định khuyến khích,
        bảo vệ cán bộ dám nghĩ, dám làm và đưa kết quả làm theo vào đánh giá, xếp loại đảng viên cuối năm.
    """,
    orientation="""
        Mỗi đồng chí đảng viên nêu cao tinh thần trách nhiệm, đặt lợi ích chung lên trên lợi ích cá nhân; nói
        đi đôi với làm, không né tránh, đùn đẩy; đoàn kết, chia sẻ kinh nghiệm với đồng nghiệp trẻ.
    """,
)


PARTY_LIFE = _topic(
    key="chat-luong-sinh-hoat",
    kind=OFFICE,
    directed=True,
    group=3,
    title="Nâng cao chất lượng sinh hoạt chi bộ, xây dựng tổ chức đảng trong sạch, vững mạnh",
    purpose="""
        Đánh giá đúng chất lượng sinh hoạt của chi bộ thời gian qua; thống nhất những việc cần làm để buổi
        sinh hoạt thật sự là nơi bàn việc chính trị của cơ quan, nơi đảng viên tự phê bình và phê bình; góp
        phần xây dựng chi bộ trong sạch, vững mạnh. Đề nghị đảng viên đóng góp cụ thể, tránh nói chung chung.
    """,
    lead_paper="""
        Chi bộ là nền tảng của Đảng, là hạt nhân chính trị ở cơ sở; chất lượng sinh hoạt chi bộ quyết định năng
        lực lãnh đạo và sức chiến đấu của tổ chức đảng. Các văn bản hướng dẫn của Trung ương đều yêu cầu sinh
        hoạt chi bộ phải bảo đảm tính lãnh đạo, tính giáo dục, tính chiến đấu, tránh hình thức, đơn điệu.

        Thời gian qua, chi bộ duy trì nền nếp sinh hoạt định kỳ hằng tháng và sinh hoạt chuyên đề hằng quý; tỷ
        lệ đảng viên dự họp cao; nghị quyết hằng tháng bám sát nhiệm vụ chính trị của cơ quan. Chi ủy đã chuẩn
        bị nội dung, tài liệu gửi trước cho đảng viên, nhờ đó nhiều buổi sinh hoạt có ý kiến thảo luận sâu.

        Tuy vậy, vẫn còn buổi sinh hoạt nặng về thông báo tình hình, ít thời gian thảo luận; một số đảng viên
        ít phát biểu hoặc phát biểu chung chung; tự phê bình và phê bình có lúc còn nể nang; việc kiểm tra thực
        hiện nghị quyết tháng trước chưa thường xuyên, có nội dung lặp lại nhiều tháng mà chưa có kết quả.

        Chi ủy đề xuất: gửi dự thảo nghị quyết và tài liệu trước ít nhất một ngày; dành ít nhất một nửa thời
        gian cho thảo luận; mỗi buổi có ít nhất một nội dung đảng viên được phân công chuẩn bị ý kiến; mở đầu mỗi
        buổi bằng phần kiểm điểm việc thực hiện nghị quyết tháng trước; định kỳ mời đồng chí cấp ủy viên phụ
        trách dự và góp ý chất lượng sinh hoạt.
    """,
    lead_summary="""
        Đề dẫn khẳng định vị trí của chi bộ là hạt nhân chính trị ở cơ sở; đánh giá nền nếp sinh hoạt của chi bộ
        và chỉ ra hạn chế: sinh hoạt còn nặng thông báo, ý kiến thảo luận chưa nhiều, phê bình còn nể nang, việc
        kiểm tra thực hiện nghị quyết chưa thường xuyên.

        Đề dẫn đề xuất gửi tài liệu trước, dành thời gian cho thảo luận, phân công đảng viên chuẩn bị ý kiến và
        mở đầu mỗi buổi bằng kiểm điểm việc thực hiện nghị quyết tháng trước.
    """,
    contributions=(
        Piece(
            subject="Thực trạng sinh hoạt chi bộ và nguyên nhân của những hạn chế",
            point="rút ngắn phần thông báo, dành thời gian cho thảo luận có chuẩn bị",
            text="""
                Tôi đã xem lại biên bản sinh hoạt của chi bộ trong sáu tháng gần đây. Thời gian dành cho thông
                báo tình hình và phổ biến văn bản chiếm phần lớn buổi họp; phần thảo luận thường chỉ có ba, bốn
                ý kiến, chủ yếu của các đồng chí chi ủy viên.

                Nguyên nhân một phần do tài liệu gửi muộn nên đảng viên chưa kịp nghiên cứu, một phần do chưa
                phân công người chuẩn bị ý kiến. Tôi đề nghị những văn bản chỉ cần nắm thì gửi để đảng viên tự
                đọc, buổi sinh hoạt chỉ bàn những vấn đề cần chi bộ quyết định, có người được phân công chuẩn bị
                trước.
            """,
        ),
        Piece(
            subject="Nâng cao chất lượng tự phê bình và phê bình trong sinh hoạt chi bộ",
            point="phê bình thẳng thắn, có địa chỉ và theo dõi việc sửa chữa",
            text="""
                Tự phê bình và phê bình là quy luật phát triển của Đảng, nhưng ở chi bộ ta có lúc còn nể nang,
                ngại nói thẳng vì sợ mất lòng. Khi một nhiệm vụ bị chậm, biên bản thường ghi nguyên nhân khách
                quan mà ít nêu trách nhiệm của cá nhân nào.

                Tôi đề nghị khi kiểm điểm nghị quyết tháng trước, việc nào chậm phải nêu rõ người chịu trách
                nhiệm và hạn khắc phục; góp ý với nhau trên tinh thần xây dựng, đúng việc, đúng người. Bản thân
                tôi xin nhận khuyết điểm còn ít phát biểu trong các buổi sinh hoạt và sẽ chuẩn bị ý kiến trước
                mỗi buổi.
            """,
        ),
    ),
    speeches=(
        Piece(
            point="mỗi nghị quyết tháng có việc, người, hạn cụ thể để kiểm tra",
            text="""
                Tôi đồng tình với đề dẫn. Nghị quyết hằng tháng của chi bộ có lúc còn viết chung chung, như
                “tiếp tục thực hiện tốt nhiệm vụ chuyên môn”, nên tháng sau rất khó kiểm tra đã làm được gì.

                Tôi đề nghị mỗi nghị quyết tháng chỉ nêu một số việc trọng tâm, mỗi việc có người chịu trách
                nhiệm và thời hạn; thư ký chi bộ lập bảng theo dõi để đầu buổi sinh hoạt sau báo cáo ngay việc
                nào xong, việc nào chưa và vì sao.
            """,
        ),
        Piece(
            point="mời cấp ủy viên phụ trách dự và góp ý chất lượng sinh hoạt",
            text="""
                Việc mời đồng chí cấp ủy viên phụ trách dự sinh hoạt là rất cần thiết. Mỗi lần có đồng chí dự,
                chi bộ chuẩn bị chu đáo hơn và được góp ý những điều chính mình khó nhìn ra.

                Tôi đề nghị chi ủy lập lịch mời đồng chí cấp ủy viên phụ trách dự ít nhất mỗi quý một lần, gửi
                tài liệu cho đồng chí cùng lúc với đảng viên; sau buổi sinh hoạt, chi ủy tiếp thu góp ý và báo
                cáo lại với chi bộ ở buổi kế tiếp. Góp ý của cấp trên được tiếp thu nghiêm túc thì chất lượng sinh
                hoạt mới nâng lên thật sự.
            """,
        ),
        Piece(
            point="đổi mới hình thức sinh hoạt cho đảng viên trẻ có dịp trình bày",
            text="""
                Tôi xin góp ý về hình thức sinh hoạt. Đảng viên trẻ trong chi bộ ngày càng đông, nhiều đồng chí
                có năng lực chuyên môn tốt nhưng ít phát biểu vì chưa quen.

                Tôi đề nghị luân phiên giao cho đảng viên trẻ chuẩn bị một phần nội dung thảo luận hoặc trình
                bày một tham luận ngắn; chi ủy góp ý trước về nội dung. Như vậy vừa rèn luyện được đảng viên,
                vừa làm buổi sinh hoạt sinh động hơn. Bản thân tôi xin nhận chuẩn bị một tham luận trong quý tới.
            """,
        ),
    ),
    adopted="""
        Chi bộ thống nhất: tài liệu và dự thảo nghị quyết gửi đảng viên trước ít nhất một ngày; mỗi buổi sinh
        hoạt mở đầu bằng kiểm điểm việc thực hiện nghị quyết tháng trước; nghị quyết tháng nêu rõ việc, người
        chịu trách nhiệm, thời hạn; mỗi buổi có đảng viên được phân công chuẩn bị ý kiến, ưu tiên đảng viên
        trẻ; mời đồng chí cấp ủy viên phụ trách dự sinh hoạt ít nhất mỗi quý một lần.
    """,
    orientation="""
        Mỗi đồng chí coi việc dự và đóng góp ý kiến trong sinh hoạt chi bộ là trách nhiệm của người đảng viên;
        thẳng thắn tự phê bình và phê bình với tinh thần xây dựng, giữ gìn đoàn kết nội bộ.
    """,
)


DIGITAL = _topic(
    key="chuyen-doi-so",
    kind=OFFICE,
    directed=True,
    group=6,
    title="Đổi mới phương thức làm việc, chuyển đổi số trong cơ quan, đơn vị",
    purpose="""
        Thống nhất nhận thức về chuyển đổi số trong hoạt động của cơ quan; đánh giá việc sử dụng hệ thống quản
        lý văn bản, chữ ký số và các phần mềm chuyên ngành; xác định trách nhiệm của đảng viên đi đầu trong đổi
        mới phương thức làm việc.
    """,
    lead_paper="""
        Chuyển đổi số là yêu cầu tất yếu trong đổi mới phương thức lãnh đạo, quản lý và làm việc của các cơ
        quan. Trung ương và Tỉnh ủy đều xác định chuyển đổi số là nhiệm vụ trọng tâm, trong đó người đứng đầu
        và đảng viên phải gương mẫu đi trước. Chuyển đổi số không chỉ là trang bị máy móc mà trước hết là thay
        đổi thói quen làm việc.

        Cơ quan đã triển khai hệ thống quản lý văn bản và điều hành, văn bản đi được ký số; phần lớn hồ sơ công
        việc được lưu trên hệ thống; hội nghị trực tuyến được tổ chức thường xuyên, tiết kiệm thời gian và chi
        phí đi lại. Đa số đảng viên sử dụng thành thạo chữ ký số và các phần mềm được giao.

        Tuy nhiên, vẫn còn tình trạng vừa xử lý trên hệ thống vừa in văn bản giấy để trình ký; một số hồ sơ chưa
        được cập nhật đầy đủ nên khó tra cứu; kỹ năng bảo đảm an toàn thông tin của một bộ phận cán bộ còn hạn
        chế, có trường hợp dùng chung mật khẩu hoặc gửi tài liệu công việc qua ứng dụng cá nhân.

        Chi ủy đề xuất: đảng viên gương mẫu xử lý toàn bộ văn bản trên hệ thống, không in văn bản giấy khi không
        cần thiết; mỗi bộ phận rà soát, số hóa hồ sơ còn lưu giấy; tổ chức bồi dưỡng kỹ năng số và an toàn thông
        tin; đưa việc sử dụng hệ thống vào tiêu chí đánh giá hoàn thành nhiệm vụ.
    """,
    lead_summary="""
        Đề dẫn nêu yêu cầu của Trung ương và Tỉnh ủy về chuyển đổi số, nhấn mạnh thay đổi thói quen làm việc và
        vai trò gương mẫu của đảng viên; đánh giá kết quả sử dụng hệ thống quản lý văn bản, chữ ký số, họp trực
        tuyến và những hạn chế như còn in văn bản giấy, hồ sơ cập nhật chưa đầy đủ, kỹ năng an toàn thông tin còn
        yếu.

        Đề dẫn đề xuất xử lý văn bản hoàn toàn trên hệ thống, số hóa hồ sơ giấy, bồi dưỡng kỹ năng số và đưa việc
        sử dụng hệ thống vào đánh giá cán bộ.
    """,
    contributions=(
        Piece(
            subject="Kết quả và vướng mắc khi xử lý văn bản trên hệ thống tại bộ phận",
            point="bỏ hẳn việc in văn bản giấy để trình ký song song với hệ thống",
            text="""
                Ở bộ phận tôi, văn bản đến đã được chuyển và xử lý hoàn toàn trên hệ thống, thời gian chuyển
                văn bản rút ngắn rõ rệt. Vướng mắc còn lại là thói quen in văn bản để trình ký, nhất là với các
                văn bản có phụ lục dài, dẫn đến một việc phải làm hai lần.

                Tôi đề nghị cơ quan quy định rõ loại văn bản nào mới cần bản giấy, còn lại trình và ký số trên hệ
                thống. Đảng viên trong bộ phận chúng tôi cam kết thực hiện trước để làm mẫu cho quần chúng.
            """,
        ),
        Piece(
            subject="Bảo đảm an toàn thông tin trong làm việc trên môi trường số",
            point="không dùng ứng dụng cá nhân để gửi tài liệu công việc, đổi mật khẩu định kỳ",
            text="""
                Chuyển đổi số đi liền với an toàn thông tin. Qua kiểm tra, vẫn còn máy tính chưa cài phần mềm
                phòng chống mã độc, có đồng chí dùng chung tài khoản hoặc lưu mật khẩu trên giấy dán cạnh máy.
                Tài liệu công việc có lúc được gửi qua ứng dụng nhắn tin cá nhân cho nhanh.

                Tôi đề nghị chi bộ nhắc đảng viên gương mẫu chấp hành quy chế bảo đảm an toàn thông tin của cơ
                quan: mỗi người một tài khoản, đổi mật khẩu định kỳ, không gửi tài liệu công việc qua ứng dụng
                cá nhân; bộ phận công nghệ thông tin kiểm tra định kỳ và báo cáo chi ủy.
            """,
        ),
    ),
    speeches=(
        Piece(
            point="bồi dưỡng kỹ năng số cho cán bộ lớn tuổi theo hình thức kèm cặp",
            text="""
                Tôi thống nhất với đề dẫn. Thực tế một số đồng chí lớn tuổi còn lúng túng khi thao tác trên phần
                mềm, không phải vì ngại đổi mới mà vì chưa được hướng dẫn kỹ.

                Tôi đề nghị tổ chức kèm cặp theo cặp: mỗi đồng chí còn lúng túng có một đồng nghiệp trẻ hướng
                dẫn trực tiếp trong công việc hằng ngày, hiệu quả hơn nhiều so với lớp tập huấn một buổi. Chi
                đoàn thanh niên có thể đảm nhận việc này dưới sự lãnh đạo của chi bộ.
            """,
        ),
        Piece(
            point="số hóa hồ sơ lưu trữ giấy theo kế hoạch và lộ trình rõ ràng",
            text="""
                Về số hóa hồ sơ, tôi đề nghị làm có kế hoạch, ưu tiên hồ sơ thường xuyên phải tra cứu trước. Nếu
                làm dàn trải thì dễ bỏ dở giữa chừng vì khối lượng lớn.

                Mỗi bộ phận nên lập danh mục hồ sơ cần số hóa, phân công người thực hiện và thời hạn theo từng
                quý; chi ủy theo dõi tiến độ trong sinh hoạt định kỳ. Khi hồ sơ đã số hóa, việc tra cứu, trả
                lời đơn thư và phục vụ thanh tra, kiểm tra sẽ nhanh hơn nhiều.
            """,
        ),
        Piece(
            point="dùng họp trực tuyến hợp lý, giữ chất lượng thảo luận",
            text="""
                Họp trực tuyến giúp tiết kiệm thời gian và chi phí, nhưng tôi thấy có cuộc họp nhiều người tắt
                hình, vừa họp vừa làm việc khác nên chất lượng thảo luận chưa cao.

                Tôi đề nghị khi họp trực tuyến, tài liệu được gửi trước, người chủ trì phân công người phát biểu
                và kết luận rõ ràng; những nội dung cần thảo luận sâu hoặc cần bảo mật thì vẫn họp trực tiếp.
                Đổi mới phương thức làm việc phải nhằm hiệu quả công việc, không chạy theo hình thức.
            """,
        ),
    ),
    adopted="""
        Chi bộ thống nhất: đảng viên gương mẫu xử lý văn bản hoàn toàn trên hệ thống, chỉ in bản giấy với loại
        văn bản cơ quan quy định; mỗi bộ phận lập danh mục và lộ trình số hóa hồ sơ theo quý; tổ chức kèm cặp
        kỹ năng số cho cán bộ còn lúng túng; chấp hành nghiêm quy chế an toàn thông tin, không gửi tài liệu công
        việc qua ứng dụng cá nhân. Chi ủy kiến nghị lãnh đạo cơ quan đưa việc sử dụng hệ thống vào tiêu chí đánh
        giá hoàn thành nhiệm vụ.
    """,
    orientation="""
        Chuyển đổi số bắt đầu từ thay đổi nhận thức và thói quen của mỗi người; mỗi đồng chí đảng viên đi đầu,
        kiên trì thực hiện, đồng thời giữ gìn bí mật nhà nước và an toàn thông tin của cơ quan.
    """,
)


WASTE = _topic(
    key="chong-lang-phi",
    kind=OFFICE,
    group=3,
    title="Phòng, chống lãng phí trong sử dụng tài sản công tại cơ quan",
    purpose="""
        Nâng cao nhận thức của đảng viên về thực hành tiết kiệm, chống lãng phí; rà soát việc sử dụng tài sản
        công, điện, nước, văn phòng phẩm và kinh phí hội nghị của cơ quan; thống nhất các biện pháp cụ thể, gắn
        trách nhiệm của từng đảng viên.
    """,
    lead_paper="""
        Chủ tịch Hồ Chí Minh coi tham ô, lãng phí và bệnh quan liêu là “giặc nội xâm”. Trung ương đã xác định
        phòng, chống lãng phí cần được tiến hành quyết liệt như phòng, chống tham nhũng. Với một cơ quan, lãng
        phí không chỉ là những khoản lớn mà còn ở điện, nước, văn phòng phẩm, xe công, thời gian làm việc và
        những cuộc họp kéo dài không cần thiết.

        Cơ quan đã ban hành quy chế chi tiêu nội bộ, quy chế quản lý, sử dụng tài sản công; thực hiện công khai
        tài chính theo quy định. Chi phí điện, văn phòng phẩm đã giảm so với năm trước nhờ xử lý văn bản trên
        môi trường điện tử và ý thức tiết kiệm của cán bộ.

        Tuy nhiên, vẫn còn phòng làm việc để điều hòa, đèn sáng khi không có người; máy in dùng riêng cho từng
        người trong khi có thể dùng chung; một số tài sản hư hỏng chưa được thanh lý kịp thời chiếm diện tích
        kho; có hội nghị chuẩn bị tài liệu in nhiều hơn số đại biểu dự.

        Chi ủy đề xuất: mỗi phòng có người phụ trách tắt thiết bị khi hết giờ làm việc; rà soát, bố trí lại máy
        in dùng chung; kiểm kê, đề nghị thanh lý tài sản không còn sử dụng; hội nghị ưu tiên tài liệu điện tử;
        công khai chi phí điện, nước hằng quý để cán bộ cùng theo dõi.
    """,
    lead_summary="""
        Đề dẫn nêu quan điểm của Chủ tịch Hồ Chí Minh và của Trung ương về phòng, chống lãng phí; đánh giá việc
        thực hiện quy chế chi tiêu nội bộ và quản lý tài sản công của cơ quan, chỉ ra lãng phí còn tồn tại ở
        điện, máy in, tài sản hư hỏng chưa thanh lý, tài liệu hội nghị.

        Đề dẫn đề xuất phân công người phụ trách tắt thiết bị, bố trí máy in dùng chung, kiểm kê thanh lý tài
        sản, ưu tiên tài liệu điện tử và công khai chi phí hằng quý.
    """,
    contributions=(
        Piece(
            subject="Thực trạng sử dụng tài sản, trang thiết bị tại các phòng làm việc",
            point="kiểm kê và đề nghị thanh lý sớm tài sản hư hỏng",
            text="""
                Qua rà soát tại bộ phận, tôi thấy có hai máy tính và một máy in đã hư hỏng từ lâu nhưng vẫn nằm
                trong danh mục tài sản, chưa làm thủ tục thanh lý; kho lưu trữ chật vì chứa bàn ghế cũ không còn
                dùng.

                Tôi đề nghị bộ phận quản trị kiểm kê toàn bộ tài sản trong quý này, lập danh sách đề nghị thanh
                lý theo đúng quy định, bố trí lại kho để phục vụ lưu trữ hồ sơ. Tài sản còn dùng được thì điều
                chuyển cho bộ phận đang thiếu, tránh mua mới.
            """,
        ),
        Piece(
            subject="Giải pháp tiết kiệm chi phí hội nghị và văn phòng phẩm",
            point="dùng tài liệu điện tử cho hội nghị và cấp văn phòng phẩm theo định mức",
            text="""
                Chi phí in tài liệu hội nghị vẫn chiếm phần đáng kể. Có hội nghị in tài liệu cho toàn bộ danh
                sách mời, nhưng số người dự thực tế ít hơn, tài liệu thừa phải hủy.

                Tôi đề xuất tài liệu hội nghị được gửi trước qua hệ thống, chỉ in cho đại biểu cần bản giấy theo
                đăng ký; văn phòng phẩm cấp theo định mức từng bộ phận và công khai hằng quý. Đảng viên làm công
                tác tổ chức hội nghị cần gương mẫu thực hiện.
            """,
        ),
    ),
    speeches=(
        Piece(
            point="mỗi phòng phân công người tắt điện, điều hòa khi hết giờ",
            text="""
                Tôi thống nhất với đề dẫn. Việc tắt điện, điều hòa tưởng nhỏ nhưng cộng lại cả năm là một khoản
                không nhỏ, và quan trọng hơn là thể hiện ý thức của mỗi người đối với tài sản chung.

                Tôi đề nghị mỗi phòng phân công một người phụ trách kiểm tra cuối giờ, bảo vệ cơ quan kiểm tra
                lại lần cuối trong ngày; trường hợp vi phạm nhiều lần thì nhắc nhở trong sinh hoạt chi bộ và công
                đoàn. Đảng viên phải là người làm gương trước, không để quần chúng nhắc nhở mình.
            """,
        ),
        Piece(
            point="lãng phí thời gian do họp kéo dài, phải chuẩn bị kỹ nội dung họp",
            text="""
                Tôi muốn nói thêm về lãng phí thời gian. Có những cuộc họp kéo dài cả buổi vì tài liệu không gửi
                trước, người dự phải nghe đọc lại văn bản, trong khi việc chuyên môn bị dồn lại.

                Tôi đề nghị mỗi cuộc họp có chương trình, thời lượng và người chủ trì kết luận rõ; những việc có
                thể xin ý kiến bằng văn bản thì không tổ chức họp. Chống lãng phí thời gian cũng là chống lãng
                phí nguồn lực của cơ quan, và trách nhiệm đó trước hết thuộc về người chủ trì cuộc họp.
            """,
        ),
        Piece(
            point="công khai chi phí điện, nước, văn phòng phẩm hằng quý",
            text="""
                Việc công khai chi phí hằng quý mà đề dẫn đề xuất là rất cần thiết. Khi cán bộ thấy được con số
                cụ thể, so sánh giữa các quý thì ý thức tiết kiệm sẽ tự giác hơn.

                Tôi đề nghị bộ phận kế toán thông báo chi phí điện, nước, văn phòng phẩm tại hội nghị giao ban
                đầu mỗi quý, kèm so sánh với cùng kỳ; chi bộ đưa nội dung này vào nghị quyết và kiểm tra việc
                thực hiện. Bộ phận nào tiết kiệm tốt thì cơ quan nên biểu dương trong sơ kết thi đua.
            """,
        ),
    ),
    adopted="""
        Chi bộ thống nhất: mỗi phòng phân công người phụ trách tắt thiết bị khi hết giờ; bộ phận quản trị kiểm
        kê tài sản, đề nghị thanh lý tài sản hư hỏng trong quý; tài liệu hội nghị gửi qua hệ thống, chỉ in theo
        đăng ký; văn phòng phẩm cấp theo định mức; chi phí điện, nước, văn phòng phẩm công khai hằng quý tại
        giao ban; mỗi cuộc họp có chương trình và thời lượng cụ thể.
    """,
    orientation="""
        Thực hành tiết kiệm, chống lãng phí là đạo đức của người cán bộ, đảng viên; mỗi đồng chí gương mẫu từ
        những việc nhỏ nhất, giữ gìn tài sản công như tài sản của gia đình mình.
    """,
)


SELF_CRITICISM = _topic(
    key="tu-soi-tu-sua",
    kind=OFFICE,
    directed=True,
    group=2,
    title="Tự soi, tự sửa",
    purpose="""
        Mỗi đảng viên tự soi lại mình theo những hạn chế, khuyết điểm đã được chỉ ra trong kiểm điểm năm trước;
        chi bộ đánh giá việc khắc phục và thống nhất biện pháp để tự sửa được thực hiện thường xuyên, có kiểm tra.
    """,
    lead_paper="""
        Tự soi, tự sửa là yêu cầu thường xuyên đối với mỗi cán bộ, đảng viên, được Trung ương nhấn mạnh trong
        các nghị quyết về xây dựng, chỉnh đốn Đảng. Chủ tịch Hồ Chí Minh dạy: mỗi người đều có cái thiện và cái
        ác ở trong lòng, ta phải biết làm cho phần tốt nảy nở như hoa mùa xuân và phần xấu mất dần đi. Tự soi là
        nhìn thẳng vào khuyết điểm của mình, tự sửa là có biện pháp và thời hạn khắc phục.

        Sau kiểm điểm năm trước, chi bộ đã chỉ ra một số hạn chế chung: tiến độ một số nhiệm vụ chuyên môn còn
        chậm; việc nghiên cứu, học tập nghị quyết có lúc chưa sâu; tự phê bình và phê bình còn nể nang. Mỗi đảng
        viên cũng đã nhận những khuyết điểm riêng và đăng ký khắc phục.

        Đến nay, phần lớn hạn chế đã được khắc phục: nhiều nhiệm vụ được hoàn thành trước thời hạn, đảng viên
        tham gia học tập nghị quyết đầy đủ. Song vẫn còn đồng chí khắc phục chậm, có khuyết điểm được nêu lại
        nhưng chưa có biện pháp mới; việc theo dõi khắc phục của chi ủy chưa thường xuyên.

        Chi ủy đề nghị mỗi đảng viên rà soát lại bản đăng ký khắc phục, tự đánh giá việc đã làm, việc chưa làm
        và lý do; chi ủy lập bảng theo dõi chung, xem xét trong sinh hoạt định kỳ hằng quý; kết quả khắc phục là
        căn cứ quan trọng khi đánh giá, xếp loại đảng viên cuối năm.
    """,
    lead_summary="""
        Đề dẫn nêu yêu cầu của Trung ương và lời dạy của Chủ tịch Hồ Chí Minh về tự soi, tự sửa; điểm lại những
        hạn chế chi bộ đã chỉ ra khi kiểm điểm năm trước và kết quả khắc phục đến nay, trong đó còn đồng chí khắc
        phục chậm và việc theo dõi của chi ủy chưa thường xuyên.

        Đề dẫn đề nghị mỗi đảng viên tự đánh giá lại bản đăng ký khắc phục, chi ủy lập bảng theo dõi chung và đưa
        kết quả khắc phục vào đánh giá, xếp loại cuối năm.
    """,
    contributions=(
        Piece(
            subject="Liên hệ bản thân trong việc khắc phục hạn chế sau kiểm điểm",
            point="tự đánh giá bản đăng ký khắc phục và báo cáo chi bộ theo quý",
            text="""
                Khi kiểm điểm năm trước, tôi được chi bộ góp ý về việc chậm tham mưu một số báo cáo định kỳ. Tôi
                đã lập lịch công việc theo tuần, chủ động xin ý kiến sớm những nội dung còn vướng, nhờ vậy các
                báo cáo của năm nay đều nộp đúng hạn.

                Tuy vậy, tôi tự thấy việc nghiên cứu văn bản mới của ngành còn chưa thường xuyên. Tôi xin đăng ký
                mỗi tháng dành thời gian cố định để cập nhật văn bản và sẽ báo cáo kết quả với chi bộ trong lần
                sinh hoạt định kỳ cuối quý.
            """,
        ),
        Piece(
            subject="Giải pháp để tự soi, tự sửa trở thành việc làm thường xuyên",
            point="chi ủy theo dõi khắc phục bằng bảng công khai trong chi bộ",
            text="""
                Tự soi, tự sửa chỉ có hiệu quả khi được theo dõi thường xuyên. Hiện nay bản đăng ký khắc phục
                của đảng viên được lưu ở hồ sơ chi bộ nhưng ít khi được nhắc lại giữa năm.

                Tôi đề xuất chi ủy lập bảng theo dõi chung, mỗi khuyết điểm có biện pháp, thời hạn và kết quả;
                cuối mỗi quý dành một phần buổi sinh hoạt để đảng viên tự báo cáo. Đồng chí nào khắc phục tốt thì
                chi bộ ghi nhận, đồng chí nào chậm thì chi ủy gặp gỡ, giúp đỡ.
            """,
        ),
    ),
    speeches=(
        Piece(
            point="người đứng đầu tự soi trước để làm gương",
            text="""
                Tôi đồng tình với đề dẫn. Muốn đảng viên thật lòng tự soi thì các đồng chí chi ủy viên và người
                đứng đầu bộ phận phải tự soi trước, công khai khuyết điểm của mình và kết quả sửa chữa.

                Tôi đề nghị trong buổi sinh hoạt cuối quý, các đồng chí chi ủy viên báo cáo trước, sau đó đến
                đảng viên. Cách làm đó tạo không khí thẳng thắn, giúp mọi người mạnh dạn nhìn nhận khuyết điểm.
                Bản thân tôi là chi ủy viên cũng xin nhận khuyết điểm còn chậm đôn đốc việc khắc phục ở bộ phận.
            """,
        ),
        Piece(
            point="lắng nghe góp ý của quần chúng và đồng nghiệp",
            text="""
                Tự soi không chỉ là tự mình nhìn lại mà còn phải lắng nghe người khác. Nhiều khi đồng nghiệp, quần
                chúng thấy khuyết điểm của mình rõ hơn chính mình.

                Tôi đề nghị chi bộ phối hợp với công đoàn, chi đoàn lấy ý kiến góp ý của quần chúng đối với đảng
                viên trước kỳ kiểm điểm cuối năm; ý kiến được tổng hợp, gửi đến từng đảng viên để tự sửa. Góp ý của
                quần chúng phải được bảo đảm khách quan, người góp ý không bị phiền hà, định kiến.
            """,
        ),
        Piece(
            point="khuyết điểm nêu lại nhiều năm phải có biện pháp mới và thời hạn",
            text="""
                Có những khuyết điểm được nêu lại năm này qua năm khác, như chậm đổi mới phương pháp làm việc. Nếu
                biện pháp khắc phục năm nay vẫn giống năm trước thì khó có kết quả.

                Tôi đề nghị với những khuyết điểm lặp lại, đảng viên phải đề ra biện pháp mới, có thời hạn cụ thể
                và người giúp đỡ; chi ủy kiểm tra sau ba tháng. Bản thân tôi xin nhận khuyết điểm còn ngại góp ý
                với đồng chí cùng bộ phận và sẽ khắc phục ngay từ buổi sinh hoạt này.
            """,
        ),
    ),
    adopted="""
        Chi bộ thống nhất: mỗi đảng viên rà soát, tự đánh giá bản đăng ký khắc phục và nộp chi ủy trong tháng;
        chi ủy lập bảng theo dõi chung, xem xét trong sinh hoạt định kỳ cuối mỗi quý, các đồng chí chi ủy viên
        báo cáo trước; khuyết điểm lặp lại phải có biện pháp mới và thời hạn; phối hợp công đoàn, chi đoàn lấy
        ý kiến quần chúng trước kỳ kiểm điểm cuối năm.
    """,
    orientation="""
        Mỗi đồng chí đảng viên thường xuyên tự soi, tự sửa với tinh thần cầu thị; thẳng thắn nhận khuyết điểm,
        chân thành góp ý cho đồng chí mình, vì sự tiến bộ chung của chi bộ và cơ quan.
    """,
)
