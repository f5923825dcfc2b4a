"""Topics of residential cells (tổ dân phố): lead papers, contributions and speeches."""

from .base import RESIDENTIAL, Piece, _topic, paragraphs  # noqa: F401

SOLIDARITY = _topic(
    key="dai-doan-ket",
    kind=RESIDENTIAL,
    directed=True,
    group=1,
    title=(
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về xây dựng khối đại đoàn kết toàn dân "
        "ở khu dân cư"
    ),
    purpose="""
        Giúp đảng viên nắm vững tư tưởng Hồ Chí Minh về đại đoàn kết toàn dân tộc; đánh giá tình hình đoàn kết
        trong tổ dân phố; thống nhất việc đảng viên gương mẫu, gần dân, vận động bà con giữ tình làng nghĩa xóm,
        giải quyết kịp thời các mâu thuẫn ngay từ cơ sở.
    """,
    lead_paper="""
        Chủ tịch Hồ Chí Minh khẳng định: “Đoàn kết, đoàn kết, đại đoàn kết. Thành công, thành công, đại thành
        công”. Khối đại đoàn kết toàn dân được xây dựng từ mỗi khu dân cư, mỗi gia đình. Ở tổ dân phố, đoàn kết
        thể hiện ở tình làng nghĩa xóm, ở việc bà con cùng nhau góp công, góp sức làm đường, giữ gìn vệ sinh,
        giúp đỡ gia đình khó khăn.

        Thời gian qua, chi bộ đã phối hợp với Ban công tác Mặt trận và các chi hội vận động nhân dân thực hiện
        tốt cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”. Tổ dân phố duy trì danh
        hiệu khu dân cư văn hóa; các gia đình chính sách, hộ nghèo được thăm hỏi, hỗ trợ trong dịp lễ, Tết; các
        mâu thuẫn nhỏ trong nhân dân phần lớn được hòa giải ngay tại tổ.

        Tuy nhiên, vẫn còn một số hộ ít tham gia sinh hoạt chung, nhất là các hộ mới chuyển đến và người trẻ đi
        làm cả ngày; có vụ việc tranh chấp ranh giới đất, lối đi kéo dài; một số đảng viên cao tuổi ít điều kiện
        đến từng nhà nắm tình hình.

        Chi ủy đề xuất: phân công mỗi đảng viên phụ trách một nhóm hộ gia đình gần nhà; tổ hòa giải chủ động nắm
        tình hình và hòa giải sớm; tổ chức ngày hội đại đoàn kết toàn dân tộc sôi nổi, thu hút các hộ mới đến;
        kịp thời biểu dương gia đình tiêu biểu trong xây dựng tình làng nghĩa xóm.
    """,
    lead_summary="""
        Đề dẫn nêu tư tưởng của Chủ tịch Hồ Chí Minh về đại đoàn kết và ý nghĩa của đoàn kết ở khu dân cư; đánh
        giá kết quả phối hợp với Ban công tác Mặt trận, việc giữ danh hiệu khu dân cư văn hóa và hòa giải ở cơ
        sở; chỉ ra hạn chế là còn hộ ít tham gia sinh hoạt chung và có vụ tranh chấp kéo dài.

        Đề dẫn đề xuất phân công đảng viên phụ trách nhóm hộ, hòa giải sớm, tổ chức tốt ngày hội đại đoàn kết
        và biểu dương gia đình tiêu biểu.
    """,
    contributions=(
        Piece(
            subject="Vai trò của đảng viên trong công tác hòa giải ở tổ dân phố",
            point="hòa giải sớm các mâu thuẫn về ranh giới đất, lối đi",
            text="""
                Là thành viên tổ hòa giải, tôi thấy phần lớn mâu thuẫn trong tổ dân phố bắt đầu từ những chuyện
                nhỏ như ranh giới đất, nước thải, lối đi chung. Nếu hòa giải sớm, có người uy tín đứng ra thì bà
                con dễ nhường nhịn nhau; để lâu thì mâu thuẫn thành nặng nề, có khi phải đưa lên phường.

                Tôi đề nghị đảng viên khi biết có va chạm trong nhóm hộ mình phụ trách thì báo ngay cho tổ hòa
                giải; tổ hòa giải gặp các bên trong tuần. Vụ tranh chấp lối đi ở ngõ hiện nay, tổ đề nghị chi bộ
                cử thêm đồng chí tổ trưởng cùng tham gia để giải quyết dứt điểm.
            """,
        ),
        Piece(
            subject="Vận động hộ mới chuyển đến tham gia các hoạt động của tổ dân phố",
            point="thăm hỏi hộ mới chuyển đến và mời tham gia sinh hoạt chung",
            text="""
                Tổ dân phố ta mấy năm nay có thêm nhiều hộ mới chuyển đến, phần đông là gia đình trẻ, đi làm cả
                ngày nên ít biết đến hoạt động của tổ. Nếu không gần gũi, họ dễ đứng ngoài các phong trào chung.

                Tôi đề xuất khi có hộ mới đến, tổ trưởng cùng đảng viên phụ trách nhóm hộ đến thăm, giới thiệu
                quy ước của tổ dân phố và mời tham gia nhóm thông tin của tổ; các hoạt động chung nên tổ chức vào
                buổi tối hoặc ngày nghỉ để bà con đi làm cũng tham gia được.
            """,
        ),
    ),
    speeches=(
        Piece(
            point="đảng viên cao tuổi nắm tình hình qua con cháu và hàng xóm",
            text="""
                Tôi năm nay đã cao tuổi, đi lại có khó khăn nhưng vẫn muốn góp phần. Theo tôi, đảng viên cao tuổi
                có thể nắm tình hình qua con cháu, qua hàng xóm sang chơi, rồi báo lại cho chi ủy.

                Tôi đề nghị chi bộ phân công nhóm hộ cho đảng viên cao tuổi gần nhà mình, ít hộ hơn, để anh em
                vẫn làm được. Uy tín của người cao tuổi nhiều khi giúp hòa giải tốt hơn cả văn bản.
                Tôi xin nhận phụ trách các hộ trong ngõ nhà mình.
            """,
        ),
        Piece(
            point="ngày hội đại đoàn kết có nội dung thiết thực, hướng về gia đình khó khăn",
            text="""
                Ngày hội đại đoàn kết năm nào tổ ta cũng tổ chức, nhưng tôi đề nghị năm nay chú trọng hơn đến nội
                dung thiết thực: dành một phần kinh phí vận động để hỗ trợ các gia đình khó khăn, trao quà cho
                học sinh nghèo vượt khó.

                Việc vận động cần công khai, minh bạch, có ban vận động ghi chép rõ ràng và báo cáo lại với nhân
                dân. Làm như vậy bà con tin tưởng và sẽ hưởng ứng nhiều hơn ở các lần sau.
                Đảng viên nên đóng góp trước để vận động.
            """,
        ),
        Piece(
            point="biểu dương kịp thời gia đình tiêu biểu trong tình làng nghĩa xóm",
            text="""
                Tôi thống nhất với đề dẫn và hai tham luận. Trong tổ ta có nhiều gia đình sống tình nghĩa, như
                gia đình thường xuyên giúp đỡ cụ già neo đơn ở cuối ngõ, nhưng chưa được biểu dương.

                Tôi đề nghị tại hội nghị tổ dân phố cuối năm, chi bộ đề xuất biểu dương những gia đình tiêu biểu
                này. Một lời khen đúng lúc có sức lan tỏa lớn hơn nhiều lời kêu gọi. Chi ủy có
                thể giao chi hội phụ nữ và Ban công tác Mặt trận lựa chọn, giới thiệu các gia đình này.
            """,
        ),
    ),
    adopted="""
        Chi bộ thống nhất: phân công mỗi đảng viên phụ trách một nhóm hộ gần nhà, đảng viên cao tuổi phụ trách
        ít hộ hơn; tổ hòa giải gặp các bên ngay trong tuần khi có va chạm, giải quyết dứt điểm vụ tranh chấp lối
        đi; thăm hỏi các hộ mới chuyển đến; ngày hội đại đoàn kết dành một phần kinh phí vận động hỗ trợ gia
        đình khó khăn, công khai thu chi; đề xuất biểu dương gia đình tiêu biểu tại hội nghị cuối năm.
    """,
    orientation="""
        Mỗi đồng chí đảng viên gần dân, hiểu dân, gương mẫu giữ gìn đoàn kết trong gia đình và khu dân cư; kịp
        thời phản ánh tâm tư, nguyện vọng của nhân dân với chi bộ và Đảng ủy phường.
    """,
)


CIVILISED_STREET = _topic(
    key="to-dan-pho-van-minh",
    kind=RESIDENTIAL,
    directed=True,
    group=5,
    title="Xây dựng tổ dân phố văn minh, đô thị văn minh, giữ gìn vệ sinh môi trường khu dân cư",
    purpose="""
        Quán triệt chủ trương của Đảng ủy phường về xây dựng đô thị văn minh; đánh giá việc giữ gìn vệ sinh môi
        trường, trật tự đô thị trong tổ dân phố; thống nhất việc đảng viên gương mẫu và vận động nhân dân thực
        hiện.
    """,
    lead_paper="""
        Xây dựng đô thị văn minh là nội dung trọng tâm của cuộc vận động “Toàn dân đoàn kết xây dựng nông thôn
        mới, đô thị văn minh” mà Đảng ủy phường đã ban hành nghị quyết chuyên đề. Tổ dân phố văn minh là tổ có
        đường ngõ sạch sẽ, có điện chiếu sáng, rác thải được phân loại, thu gom đúng giờ, nhân dân chấp hành tốt
        quy định về trật tự đô thị và nếp sống văn minh trong việc cưới, việc tang.

        Thời gian qua, nhân dân trong tổ đã đóng góp công sức làm lại hai tuyến ngõ, lắp đèn chiếu sáng; mỗi
        tháng tổ chức tổng vệ sinh một lần vào sáng Chủ nhật; phần lớn hộ gia đình để rác đúng nơi, đúng giờ.
        Việc cưới, việc tang cơ bản thực hiện theo quy ước, không kéo dài, không sử dụng loa đài quá giờ.

        Tuy nhiên, vẫn còn tình trạng để rác không đúng giờ ở đầu ngõ, một số hộ lấn chiếm vỉa hè để buôn bán
        hoặc để vật liệu xây dựng; phân loại rác tại nguồn mới được một số hộ thực hiện; một số cống thoát nước
        bị tắc, mỗi khi mưa lớn gây ngập cục bộ.

        Chi ủy đề xuất: đảng viên gương mẫu phân loại rác tại nguồn và vận động các hộ trong nhóm mình phụ trách
        cùng làm; phối hợp tổ trưởng nhắc nhở, lập biên bản các trường hợp lấn chiếm vỉa hè kéo dài; kiến nghị
        phường nạo vét cống thoát nước trước mùa mưa bão; duy trì tổng vệ sinh hằng tháng có đảng viên tham gia.
    """,
    lead_summary="""
        Đề dẫn quán triệt nghị quyết chuyên đề của Đảng ủy phường về đô thị văn minh, nêu tiêu chí tổ dân phố
        văn minh; đánh giá kết quả làm ngõ, lắp đèn, tổng vệ sinh hằng tháng và thực hiện nếp sống văn minh; chỉ
        ra hạn chế về để rác sai giờ, lấn chiếm vỉa hè, phân loại rác chưa rộng khắp, cống thoát nước bị tắc.

        Đề dẫn đề xuất đảng viên gương mẫu phân loại rác, phối hợp xử lý lấn chiếm vỉa hè, kiến nghị nạo vét
        cống và duy trì tổng vệ sinh hằng tháng.
    """,
    contributions=(
        Piece(
            subject="Phân loại rác tại nguồn ở hộ gia đình: kinh nghiệm và cách vận động",
            point="đảng viên làm mẫu phân loại rác tại nguồn rồi vận động hàng xóm",
            text="""
                Gia đình tôi phân loại rác được hơn một năm: rác hữu cơ dùng ủ phân bón cây, giấy và nhựa để riêng
                bán phế liệu, phần còn lại mới để xe thu gom. Lượng rác phải bỏ đi giảm được hơn một nửa, nhà cửa
                cũng sạch sẽ hơn.

                Từ kinh nghiệm đó, tôi đề nghị mỗi đảng viên làm trước ở gia đình mình, rồi hướng dẫn cụ thể cho
                các hộ xung quanh; chi hội phụ nữ có thể vận động mỗi hộ chuẩn bị hai thùng rác riêng. Làm cho
                bà con thấy lợi ích thì sẽ tự giác làm theo.
            """,
        ),
        Piece(
            subject="Xử lý tình trạng lấn chiếm vỉa hè, để vật liệu xây dựng trên ngõ",
            point="nhắc nhở, lập biên bản trường hợp lấn chiếm vỉa hè kéo dài",
            text="""
                Tình trạng lấn chiếm vỉa hè tập trung ở đoạn đầu tổ giáp đường lớn, chủ yếu là các hộ buôn bán
                nhỏ và hộ đang xây nhà để cát, gạch trên ngõ nhiều ngày. Việc này vừa mất mỹ quan, vừa gây nguy
                hiểm cho người đi đường, nhất là học sinh.

                Tôi đề nghị tổ trưởng cùng đảng viên phụ trách nhóm hộ đến nhắc nhở trực tiếp trước; hộ xây nhà
                phải cam kết thời gian tập kết vật liệu và dọn sạch sau khi xong; trường hợp tái diễn thì lập biên
                bản, báo công an phường và bộ phận trật tự đô thị xử lý theo quy định.
            """,
        ),
    ),
    speeches=(
        Piece(
            point="kiến nghị phường nạo vét cống thoát nước trước mùa mưa bão",
            text="""
                Tôi ở cuối ngõ nên năm nào mưa lớn cũng bị ngập. Nguyên nhân chính là cống thoát nước bị rác và
                bùn đất lấp, việc nạo vét chưa thường xuyên.

                Tôi đề nghị chi bộ kiến nghị Ủy ban nhân dân phường nạo vét cống trước mùa mưa bão; đồng thời tổ
                chức bà con khơi thông các rãnh nhỏ trong ngõ vào buổi tổng vệ sinh gần nhất. Đảng viên các hộ
                gần cống nên nhận trách nhiệm theo dõi, báo ngay khi thấy tắc. Bản thân tôi xin
                nhận theo dõi đoạn cống trước nhà mình.
            """,
        ),
        Piece(
            point="giữ nếp sống văn minh trong việc cưới, việc tang theo quy ước",
            text="""
                Tôi thống nhất với đề dẫn. Về nếp sống văn minh, tôi thấy việc cưới, việc tang trong tổ đã tiết
                kiệm hơn, nhưng vẫn có đám sử dụng loa đài đến khuya, làm ảnh hưởng giấc ngủ của người già và trẻ
                nhỏ.

                Tôi đề nghị khi gia đình có việc, tổ trưởng và đảng viên trong nhóm hộ đến chia buồn hoặc chúc
                mừng, đồng thời nhắc nhẹ nhàng về quy ước giờ giấc. Đảng viên có việc gia đình phải thực hiện
                gương mẫu trước.
            """,
        ),
        Piece(
            point="duy trì tổng vệ sinh hằng tháng có đảng viên và đoàn viên tham gia",
            text="""
                Buổi tổng vệ sinh sáng Chủ nhật cuối tháng nay đã thành nếp, nhưng số người tham gia chủ yếu là
                người cao tuổi và phụ nữ, thanh niên ít tham gia.

                Tôi đề nghị chi bộ giao chi đoàn thanh niên phụ trách một tuyến ngõ trong mỗi buổi tổng vệ sinh,
                đảng viên trẻ đi đầu. Sau mỗi buổi, tổ trưởng thông báo kết quả trên nhóm thông tin của tổ để bà
                con cùng biết, tuyến ngõ nào sạch đẹp thì biểu dương tại hội nghị tổ dân phố.
            """,
        ),
    ),
    adopted="""
        Chi bộ thống nhất: đảng viên gương mẫu phân loại rác tại nguồn và vận động các hộ trong nhóm phụ trách
        cùng làm; phối hợp tổ trưởng nhắc nhở, lập biên bản các trường hợp lấn chiếm vỉa hè kéo dài; kiến nghị
        Ủy ban nhân dân phường nạo vét cống thoát nước trước mùa mưa bão; duy trì tổng vệ sinh hằng tháng, giao
        chi đoàn phụ trách một tuyến ngõ; giữ nếp sống văn minh trong việc cưới, việc tang theo quy ước.
    """,
    orientation="""
        Xây dựng đô thị văn minh bắt đầu từ mỗi gia đình và mỗi tuyến ngõ; mỗi đồng chí đảng viên làm trước để
        nhân dân làm theo, kiên trì vận động, không làm thay, không làm qua loa.
    """,
)


SECURITY = _topic(
    key="an-ninh-trat-tu",
    kind=RESIDENTIAL,
    group=5,
    title="Giữ gìn an ninh trật tự, phòng, chống tội phạm và tệ nạn xã hội trên địa bàn tổ dân phố",
    purpose="""
        Đánh giá tình hình an ninh trật tự trên địa bàn tổ dân phố; thống nhất việc đảng viên tham gia phong
        trào toàn dân bảo vệ an ninh Tổ quốc, phòng ngừa tội phạm, tệ nạn xã hội, lừa đảo qua mạng và bảo đảm
        an toàn phòng cháy, chữa cháy.
    """,
    lead_paper="""
        Giữ gìn an ninh trật tự ở khu dân cư là nhiệm vụ của cả hệ thống chính trị và của mỗi người dân; đảng
        viên ở tổ dân phố phải là nòng cốt trong phong trào toàn dân bảo vệ an ninh Tổ quốc. Địa bàn ổn định là
        điều kiện để nhân dân yên tâm làm ăn, sinh sống.

        Thời gian qua, tình hình an ninh trật tự trên địa bàn tổ cơ bản ổn định; tổ an ninh trật tự cơ sở phối
        hợp với công an phường nắm chắc tình hình, quản lý tốt nhân khẩu, lưu trú; các hộ kinh doanh nhà trọ
        khai báo đầy đủ. Nhiều hộ đã lắp camera hướng ra ngõ, góp phần phòng ngừa trộm cắp.

        Tuy nhiên, vẫn xảy ra vụ trộm cắp xe máy vào ban đêm; có người dân bị lừa đảo qua điện thoại, mạng xã
        hội với thủ đoạn giả danh cơ quan công an, ngân hàng; một số thanh thiếu niên tụ tập khuya, có biểu hiện
        sử dụng chất kích thích; một số hộ kinh doanh chưa trang bị bình chữa cháy.

        Chi ủy đề xuất: đảng viên tham gia tuyên truyền các thủ đoạn lừa đảo mới cho người cao tuổi; vận động
        các hộ lắp camera, khóa chống trộm; phối hợp gia đình quản lý con em, báo công an khi có dấu hiệu tệ nạn;
        vận động hộ kinh doanh trang bị bình chữa cháy, không để xe và hàng hóa chắn lối thoát hiểm.
    """,
    lead_summary="""
        Đề dẫn nêu vai trò nòng cốt của đảng viên trong phong trào toàn dân bảo vệ an ninh Tổ quốc; đánh giá tình
        hình an ninh trật tự cơ bản ổn định, việc quản lý nhân khẩu, lưu trú và lắp camera; chỉ ra những vấn đề
        còn xảy ra như trộm cắp xe máy, lừa đảo qua điện thoại, thanh thiếu niên tụ tập khuya, hộ kinh doanh chưa
        có bình chữa cháy.

        Đề dẫn đề xuất tuyên truyền thủ đoạn lừa đảo, vận động lắp camera, quản lý con em và bảo đảm an toàn phòng
        cháy, chữa cháy.
    """,
    contributions=(
        Piece(
            subject="Tuyên truyền phòng, chống lừa đảo qua điện thoại, mạng xã hội cho người cao tuổi",
            point="tuyên truyền thủ đoạn lừa đảo qua điện thoại cho người cao tuổi",
            text="""
                Vừa rồi trong tổ có một cụ bị kẻ gian gọi điện giả danh công an, đe dọa liên quan đến một vụ án
                rồi yêu cầu chuyển tiền để “xác minh”. May mà con cháu phát hiện kịp nên chưa bị mất tiền. Các
                thủ đoạn này ngày càng tinh vi, người cao tuổi rất dễ tin.

                Tôi đề nghị tại các buổi sinh hoạt của chi hội người cao tuổi, chi hội cựu chiến binh, đảng viên
                phổ biến các thủ đoạn lừa đảo mới theo thông báo của công an phường; nhắc bà con cơ quan công an
                không làm việc qua điện thoại và không bao giờ yêu cầu chuyển tiền.
            """,
        ),
        Piece(
            subject="Phòng cháy, chữa cháy tại các hộ kinh doanh và nhà ở kết hợp kinh doanh",
            point="vận động hộ kinh doanh trang bị bình chữa cháy, thông lối thoát hiểm",
            text="""
                Trong tổ có nhiều nhà ở kết hợp kinh doanh, tầng dưới để hàng hóa và xe máy, cả gia đình ở tầng
                trên, nhiều nhà chỉ có một lối ra. Nếu xảy ra cháy vào ban đêm thì rất nguy hiểm.

                Tôi đề nghị tổ an ninh trật tự phối hợp công an phường kiểm tra, hướng dẫn từng hộ; vận động mỗi
                hộ kinh doanh trang bị ít nhất một bình chữa cháy, không để xe và hàng hóa chắn lối thoát hiểm, mở
                thêm lối thoát nạn qua ban công hoặc mái nhà khi có thể.
            """,
        ),
    ),
    speeches=(
        Piece(
            point="vận động lắp camera hướng ra ngõ và kết nối với tổ an ninh",
            text="""
                Tôi đồng tình với đề dẫn. Vụ trộm xe máy vừa rồi được công an phường làm rõ nhanh chính là nhờ
                hình ảnh từ camera của một hộ trong ngõ.

                Tôi đề nghị vận động thêm các hộ ở đầu ngõ, cuối ngõ lắp camera hướng ra đường đi chung, khi cần
                thì cung cấp hình ảnh cho tổ an ninh trật tự và công an phường. Đảng viên có điều kiện nên lắp
                trước. Chi phí một chiếc camera hiện nay không lớn mà giúp giữ bình yên cho cả ngõ, gia đình tôi sẽ
                lắp trong tháng này.
            """,
        ),
        Piece(
            point="phối hợp với gia đình quản lý thanh thiếu niên, không để tụ tập khuya",
            text="""
                Thanh thiếu niên tụ tập khuya ở bãi đất trống cuối tổ là điều nhiều gia đình lo lắng. Phần lớn
                các cháu là con em trong tổ, bố mẹ đi làm ăn xa, ông bà khó quản lý.

                Tôi đề nghị chi bộ giao chi đoàn và chi hội cựu chiến binh phối hợp gặp gỡ các gia đình, tổ chức
                sân chơi thể thao vào buổi tối cho các cháu; khi phát hiện dấu hiệu sử dụng chất kích thích thì
                báo ngay công an phường để kịp thời ngăn chặn.
            """,
        ),
        Piece(
            point="quản lý chặt người tạm trú ở nhà trọ và khai báo lưu trú đầy đủ",
            text="""
                Tổ ta có ba hộ kinh doanh nhà trọ, người thuê thay đổi thường xuyên. Việc khai báo lưu trú đã
                thực hiện qua ứng dụng nhưng có lúc chậm khi người thuê mới đến vào ban đêm.

                Tôi đề nghị tổ trưởng và cảnh sát khu vực nhắc các chủ nhà trọ khai báo ngay trong ngày; đảng
                viên ở gần các nhà trọ quan tâm nắm tình hình, thấy người lạ có biểu hiện nghi vấn thì báo tổ an
                ninh trật tự. Chủ nhà trọ nào nhiều lần khai báo chậm thì đề nghị công an phường nhắc nhở.
            """,
        ),
    ),
    adopted="""
        Chi bộ thống nhất: đảng viên tuyên truyền thủ đoạn lừa đảo qua điện thoại, mạng xã hội tại sinh hoạt
        của các chi hội, trước hết cho người cao tuổi; vận động các hộ đầu ngõ, cuối ngõ lắp camera; giao chi
        đoàn và chi hội cựu chiến binh phối hợp gia đình quản lý thanh thiếu niên; nhắc chủ nhà trọ khai báo lưu
        trú ngay trong ngày; vận động hộ kinh doanh trang bị bình chữa cháy và giữ thông thoáng lối thoát hiểm.
    """,
    orientation="""
        Mỗi đồng chí đảng viên nêu cao tinh thần cảnh giác, là tai mắt của chi bộ và công an phường ở khu dân
        cư; gương mẫu chấp hành pháp luật và vận động gia đình, hàng xóm cùng thực hiện.
    """,
)


TRADITION = _topic(
    key="truyen-thong",
    kind=RESIDENTIAL,
    group=7,
    title="Giáo dục truyền thống cách mạng của quê hương Hà Tĩnh cho thế hệ trẻ ở khu dân cư",
    purpose="""
        Ôn lại truyền thống cách mạng của quê hương Hà Tĩnh và của địa phương; thống nhất cách làm để thế hệ
        trẻ trong tổ dân phố hiểu, tự hào và tiếp nối truyền thống; phát huy vai trò của đảng viên cao tuổi, cựu
        chiến binh trong giáo dục con cháu.
    """,
    lead_paper="""
        Hà Tĩnh là vùng đất giàu truyền thống yêu nước và cách mạng, quê hương của nhiều lớp cán bộ, đảng viên
        tiêu biểu, nơi phong trào Xô viết Nghệ Tĩnh năm 1930 đến 1931 diễn ra sôi nổi. Trong kháng chiến chống
        Mỹ, ngã ba Đồng Lộc và những tuyến đường chi viện cho tiền tuyến đã ghi dấu sự hy sinh anh dũng của quân
        và dân Hà Tĩnh. Giáo dục truyền thống cho thế hệ trẻ là trách nhiệm của mỗi gia đình và mỗi tổ chức đảng.

        Tổ dân phố ta có nhiều đảng viên là cựu chiến binh, thương binh, cán bộ hưu trí đã trực tiếp tham gia
        kháng chiến và xây dựng quê hương. Thời gian qua, chi bộ phối hợp với chi hội cựu chiến binh tổ chức
        thăm hỏi gia đình chính sách dịp 27 tháng 7, đưa thiếu nhi viếng nghĩa trang liệt sĩ của phường, kể
        chuyện truyền thống trong dịp hè.

        Tuy vậy, các hoạt động còn chủ yếu theo dịp lễ, chưa thường xuyên; nhiều cháu thanh thiếu niên dành phần
        lớn thời gian cho điện thoại, mạng xã hội, ít hiểu về lịch sử địa phương; một số gia đình trẻ mới chuyển
        đến chưa được tham gia các hoạt động truyền thống của tổ.

        Chi ủy đề xuất: duy trì buổi kể chuyện truyền thống trong dịp hè và ngày 27 tháng 7, mời đảng viên cựu
        chiến binh trực tiếp kể; tổ chức cho thiếu nhi chăm sóc nghĩa trang liệt sĩ của phường; sưu tầm ảnh, tư
        liệu về những người con của tổ dân phố tham gia kháng chiến, giới thiệu tại nhà văn hóa; mỗi đảng viên
        giáo dục con cháu trong gia đình mình trước.
    """,
    lead_summary="""
        Đề dẫn điểm lại truyền thống yêu nước, cách mạng của quê hương Hà Tĩnh từ phong trào Xô viết Nghệ Tĩnh
        đến ngã ba Đồng Lộc; đánh giá hoạt động giáo dục truyền thống của chi bộ và chi hội cựu chiến binh, chỉ ra
        hạn chế là hoạt động còn theo dịp lễ và thanh thiếu niên ít hiểu về lịch sử địa phương.

        Đề dẫn đề xuất duy trì kể chuyện truyền thống, chăm sóc nghĩa trang liệt sĩ, sưu tầm tư liệu giới thiệu
        tại nhà văn hóa và giáo dục con cháu ngay trong mỗi gia đình đảng viên.
    """,
    contributions=(
        Piece(
            subject="Vai trò của đảng viên cựu chiến binh trong giáo dục truyền thống cho con cháu",
            point="mời đảng viên cựu chiến binh kể chuyện truyền thống cho thiếu nhi",
            text="""
                Là cựu chiến binh, tôi thấy các cháu rất thích nghe chuyện chiến trường khi được kể bằng những kỷ
                niệm cụ thể: một chuyến hành quân, một người đồng đội, một bức thư gửi về quê. Những câu chuyện như
                vậy dễ đi vào lòng các cháu hơn bài giảng.

                Tôi đề nghị chi bộ giao chi hội cựu chiến binh mỗi quý tổ chức một buổi kể chuyện tại nhà văn hóa
                cho thiếu nhi trong tổ, kết hợp cho các cháu xem ảnh, kỷ vật. Tôi xin nhận kể buổi đầu tiên vào
                dịp hè tới.
            """,
        ),
        Piece(
            subject="Sưu tầm tư liệu về những người con của tổ dân phố tham gia kháng chiến",
            point="sưu tầm ảnh, tư liệu và lập góc truyền thống tại nhà văn hóa",
            text="""
                Tổ dân phố ta có nhiều gia đình có người tham gia kháng chiến, có liệt sĩ, nhưng tư liệu hiện chỉ
                nằm rải rác ở từng gia đình. Nếu không sưu tầm sớm, khi các cụ không còn thì rất khó tìm lại.

                Tôi đề xuất chi bộ phối hợp với Ban công tác Mặt trận vận động các gia đình cho mượn ảnh, giấy tờ
                để chụp lại, lập một góc truyền thống tại nhà văn hóa tổ dân phố. Chi đoàn thanh niên có thể giúp
                số hóa và giới thiệu trên nhóm thông tin của tổ.
            """,
        ),
    ),
    speeches=(
        Piece(
            point="gắn giáo dục truyền thống với việc chăm sóc nghĩa trang liệt sĩ",
            text="""
                Tôi đồng tình với đề dẫn. Việc đưa các cháu đi chăm sóc nghĩa trang liệt sĩ của phường có ý nghĩa
                giáo dục rất lớn, các cháu được tận mắt thấy tên những người đã hy sinh, có người là ông, bác của
                chính mình.

                Tôi đề nghị duy trì việc này thường xuyên, không chỉ dịp 27 tháng 7, giao chi đoàn và chi hội phụ
                nữ tổ chức; trước mỗi lần đi, đảng viên kể cho các cháu nghe về một liệt sĩ của địa phương.
                Các cháu sẽ nhớ lâu hơn khi gắn một cái tên với một câu chuyện.
            """,
        ),
        Piece(
            point="mỗi gia đình đảng viên giáo dục con cháu mình trước",
            text="""
                Giáo dục truyền thống phải bắt đầu từ gia đình. Nếu chính con cháu đảng viên không biết ông bà mình
                đã tham gia kháng chiến thế nào thì khó nói đến con cháu của bà con trong tổ.

                Tôi đề nghị mỗi đảng viên dành thời gian kể cho con cháu nghe về truyền thống gia đình, dòng họ,
                quê hương; khuyến khích các cháu ghi lại thành bài viết nhỏ để góp vào góc truyền thống của tổ dân
                phố. Bản thân gia đình tôi sẽ làm trước.
            """,
        ),
        Piece(
            point="thu hút các gia đình trẻ mới chuyển đến tham gia hoạt động truyền thống",
            text="""
                Các gia đình trẻ mới chuyển đến tổ ta phần lớn từ nơi khác, chưa biết nhiều về lịch sử địa phương.
                Đây cũng là dịp tốt để gắn kết họ với tổ dân phố.

                Tôi đề nghị khi tổ chức các hoạt động truyền thống, tổ trưởng và đảng viên phụ trách nhóm hộ mời
                trực tiếp các gia đình này cùng con em tham gia; buổi kể chuyện nên tổ chức vào tối thứ bảy hoặc
                sáng Chủ nhật để bố mẹ đi làm cũng đưa con đến được, cùng nghe với con.
            """,
        ),
    ),
    adopted="""
        Chi bộ thống nhất: giao chi hội cựu chiến binh tổ chức kể chuyện truyền thống cho thiếu nhi mỗi quý một
        lần tại nhà văn hóa; chi đoàn và chi hội phụ nữ tổ chức cho thiếu nhi chăm sóc nghĩa trang liệt sĩ của
        phường; phối hợp Ban công tác Mặt trận sưu tầm ảnh, tư liệu và lập góc truyền thống tại nhà văn hóa; mời
        các gia đình mới chuyển đến cùng tham gia; mỗi đảng viên giáo dục con cháu trong gia đình mình trước.
    """,
    orientation="""
        Mỗi đồng chí đảng viên tự hào và có trách nhiệm giữ gìn, phát huy truyền thống cách mạng của quê hương;
        sống mẫu mực để con cháu noi theo.
    """,
)
